using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Forwarding;

// The HTTP ingest API's bodies (POST /api/v1/ingest/readings), as the server defines them.

internal sealed record IngestRequest(IReadOnlyList<IngestReading> Readings);

/// <summary>One reading: values by canonical metric name (<see cref="Metrics.Name"/>), the state's camelCase name, active fault IDs.</summary>
internal sealed record IngestReading(string SerialNumber, string Timestamp, IReadOnlyDictionary<string, double> Values, string? State, int[]? Faults)
{
    public static IngestReading From(CollectedReading collected)
    {
        var values = new Dictionary<string, double>(Metrics.Count, StringComparer.Ordinal);
        foreach (var (metric, value) in collected.Reading.All())
        {
            // Scaled registers carry binary noise (12.299999999999999); 3 decimals is finer than any register's step.
            if (double.IsFinite(value))
            {
                values[Metrics.Name(metric)] = Math.Round(value, 3);
            }
        }
        return new IngestReading(
            collected.InverterSerial,
            collected.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            values,
            StateName(collected.Reading.State),
            collected.Reading.Faults.ToArray());
    }

    public static string StateName(InverterState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}

internal sealed record IngestAnswer(int Accepted, int Duplicates, int Refused, IReadOnlyList<IngestResult>? Results);

/// <summary>What became of one reading; for a refused one, the field at fault and why.</summary>
internal sealed record IngestResult(int Index, string Status, string? Field, string? Reason);

/// <summary>RFC 9457 problem details, as far as the collector reports them.</summary>
internal sealed record IngestProblem(string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestRequest))]
[JsonSerializable(typeof(IngestAnswer))]
[JsonSerializable(typeof(IngestProblem))]
internal sealed partial class IngestJson : JsonSerializerContext;
