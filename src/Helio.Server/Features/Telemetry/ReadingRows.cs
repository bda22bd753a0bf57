using System.Globalization;
using System.Text;
using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Telemetry;

/// <summary>The raw readings table, <c>readings</c>, as both stores write and the queries read it.</summary>
internal static class ReadingRows
{
    public const string Table = "readings";

    /// <summary>device, at, state, raw_state, faults, then one column per metric in vocabulary order.</summary>
    public static readonly string ColumnList = "device, at, state, raw_state, faults, " + string.Join(", ", MetricColumns.Names);

    public const int FixedColumns = 5;

    /// <summary>Active fault IDs as "3,42", or null when none (most readings): text only where there is one.</summary>
    public static string? Faults(in FaultSet faults)
    {
        if (faults.IsEmpty)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var id in faults.ToArray())
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(id.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
