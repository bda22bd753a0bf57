using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Why an alarm was raised, kept with it: the rule in words, the inputs it looked at and the thresholds it compared
/// them with, as they were at that moment. What a person asking "why did Helio decide this?" needs, and no more: no
/// personal data goes in here.
/// </summary>
/// <param name="Rule">A stable name of the rule, e.g. "inverter-fault-bit", "offline-in-daylight".</param>
/// <param name="Summary">The decision in one or two sentences.</param>
/// <param name="Inputs">What was measured or known, by name (values as text, with units).</param>
/// <param name="Thresholds">What it was compared with, by name.</param>
public sealed record AlarmExplanation(
    string Rule,
    string Summary,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Thresholds,
    DateTimeOffset DecidedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AlarmExplanation FromJson(string json) => JsonSerializer.Deserialize<AlarmExplanation>(json, Json)!;
}
