using System.Buffers;
using System.Globalization;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// RFC 4180 rows into a text writer (UTF-8 without BOM, CRLF, invariant culture) for the export's tables. Text that a
/// spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection"): plant names and alarm titles
/// are the user's or a rule's words.
/// </summary>
internal sealed class CsvRows(TextWriter writer)
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
    private static readonly decimal[] Powers = [1m, 10m, 100m, 1000m];
    private bool first = true;

    public CsvRows Header(params string[] names)
    {
        foreach (var name in names)
        {
            Text(name);
        }
        End();
        return this;
    }

    public CsvRows Text(string? value)
    {
        Separate();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        var guarded = FormulaStarts.Contains(value[0]) ? "'" + value : value;
        if (guarded.AsSpan().ContainsAny(NeedsQuotes))
        {
            writer.Write('"');
            writer.Write(guarded.Replace("\"", "\"\"", StringComparison.Ordinal));
            writer.Write('"');
        }
        else
        {
            writer.Write(guarded);
        }
        return this;
    }

    public CsvRows Number(long? value)
    {
        Separate();
        if (value is { } v)
        {
            writer.Write(v.ToString(CultureInfo.InvariantCulture));
        }
        return this;
    }

    /// <summary>A stored integer in its unit: <paramref name="value"/> / 10^<paramref name="decimals"/> (0.01 kWh → kWh).</summary>
    public CsvRows Scaled(long? value, int decimals)
    {
        Separate();
        if (value is { } v)
        {
            writer.Write((v / Powers[decimals]).ToString(CultureInfo.InvariantCulture));
        }
        return this;
    }

    public CsvRows Double(double? value)
    {
        Separate();
        if (value is { } v)
        {
            writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
        }
        return this;
    }

    public CsvRows Time(DateTimeOffset? value)
    {
        Separate();
        if (value is { } v)
        {
            writer.Write(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
        return this;
    }

    public void End()
    {
        writer.Write("\r\n");
        first = true;
    }

    private void Separate()
    {
        if (!first)
        {
            writer.Write(',');
        }
        first = false;
    }
}
