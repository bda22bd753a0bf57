using System.Data.Common;
using System.Text.Json;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>One stored reading as the API shows it: values in their units by metric name (docs/metrics.md).</summary>
public sealed record RawReadingDto(DateTimeOffset At, string State, IReadOnlyList<int> Faults, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Reads raw reading rows of one device by time range, every column or the metrics asked for, in time order. Plain
/// SQL over the context's own connection: the table has 42 columns that only this reader needs by name.
/// </summary>
internal sealed class RawReadings(HelioDbContext db)
{
    public Task<int?> DeviceNumberAsync(string serial, CancellationToken cancellationToken) =>
        db.TelemetryDevices.Where(d => d.Serial == serial).Select(d => (int?)d.Number).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Readings with <paramref name="fromMs"/> ≤ at &lt; <paramref name="toMs"/>, at most <paramref name="limit"/>,
    /// oldest first (or newest first), optionally only those with active faults, each with its instant in
    /// <paramref name="zone"/>'s offset.</summary>
    public async Task<List<RawReadingDto>> ReadAsync(int device, long fromMs, long toMs, IReadOnlyList<Metric> metrics, int limit, TimeZoneInfo zone, CancellationToken cancellationToken,
        bool newestFirst = false, bool withFaultsOnly = false)
    {
        var columns = string.Join(", ", metrics.Select(m => MetricColumns.Names[(int)m]));
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT at, state, faults{(columns.Length > 0 ? ", " : "")}{columns} FROM {ReadingRows.Table} " +
                $"WHERE device = @device AND at >= @from AND at < @to{(withFaultsOnly ? " AND faults IS NOT NULL" : "")} ORDER BY at{(newestFirst ? " DESC" : "")} LIMIT @limit";
            Add(command, "device", device);
            Add(command, "from", fromMs);
            Add(command, "to", toMs);
            Add(command, "limit", limit);
            var rows = new List<RawReadingDto>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new Dictionary<string, double>(metrics.Count);
                for (var i = 0; i < metrics.Count; i++)
                {
                    if (!await reader.IsDBNullAsync(3 + i, cancellationToken))
                    {
                        values[Metrics.Name(metrics[i])] = MetricColumns.FromStored(metrics[i], reader.GetInt64(3 + i));
                    }
                }
                var at = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0));
                rows.Add(new RawReadingDto(
                    TimeZoneInfo.ConvertTime(at, zone),
                    StateName((InverterState)reader.GetInt16(1)),
                    reader.IsDBNull(2) ? [] : reader.GetString(2).Split(',').Select(id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                    values));
            }
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static string StateName(InverterState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
