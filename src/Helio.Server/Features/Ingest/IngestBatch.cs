using System.Text.Json.Serialization;

namespace Helio.Server.Features.Ingest;

/// <summary>The body of <c>POST /api/v1/ingest/readings</c> and of an MQTT ingest message (docs/ingest.md).</summary>
public sealed record IngestBatch(IReadOnlyList<IngestReadingRequest?>? Readings);

/// <summary>
/// One reading: the inverter's serial, when it was measured (ISO 8601 with an offset), and values by canonical
/// metric name (docs/metrics.md); optionally its state and active fault IDs. The timestamp stays text so that a
/// bad one refuses this reading, not the whole batch.
/// </summary>
public sealed record IngestReadingRequest(string? SerialNumber, string? Timestamp, IReadOnlyDictionary<string, double>? Values, string? State, IReadOnlyList<int>? Faults);

[JsonConverter(typeof(JsonStringEnumConverter<IngestStatus>))]
public enum IngestStatus
{
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("duplicate")] Duplicate,
    [JsonStringEnumMemberName("refused")] Refused,
}

/// <summary>What became of one reading; <see cref="Field"/> and <see cref="Reason"/> say why it was refused.</summary>
public sealed record IngestResult(
    int Index,
    IngestStatus Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

public sealed record IngestResponse(int Accepted, int Duplicates, int Refused, IReadOnlyList<IngestResult> Results);
