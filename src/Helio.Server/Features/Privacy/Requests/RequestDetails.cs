using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// What a request says beyond its kind, as the requester put it; stored encrypted as one JSON document. Which fields a
/// kind takes is <see cref="SubmitRequest"/>'s to check:
/// <list type="bullet">
/// <item>correction: <see cref="Data"/> (which data) and <see cref="Problem"/> (what is wrong), optionally the plant,
/// device and time range it is about;</item>
/// <item>deletion: <see cref="Ground"/>, one of the policy's five, and optional <see cref="Text"/>;</item>
/// <item>review: the decision (kept in its own column) and <see cref="Reason"/>;</item>
/// <item>transfer: <see cref="TargetUrl"/>, where the copy goes, <see cref="TargetRegion"/>, the data region the recipient is
/// in (the requester states it: Helio cannot know where a server is), and <see cref="TransferConsent"/>, the requester's
/// explicit consent to this transfer where the region's basis is consent;</item>
/// <item>cancellation and export: optional <see cref="Text"/>;</item>
/// <item>complaint: <see cref="Subject"/> and <see cref="Text"/>.</item>
/// </list>
/// </summary>
public sealed record RequestDetails(
    string? Data = null,
    string? Problem = null,
    Guid? PlantId = null,
    string? DeviceSerial = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Ground = null,
    string? Reason = null,
    string? TargetUrl = null,
    string? Subject = null,
    string? Text = null,
    string? TargetRegion = null,
    bool? TransferConsent = null)
{
    /// <summary>Web names, nulls left out: the stored form, and how pages show it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RequestDetails FromJson(string json) => JsonSerializer.Deserialize<RequestDetails>(json, Json)!;
}

/// <summary>The policy's grounds for deletion ("Your rights (3)"), by the names the API takes.</summary>
public static class DeletionGrounds
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["unlawful"] = "Helio's handling of my personal data violates laws or regulations",
        ["no-consent"] = "Helio collects or uses my personal data without my consent",
        ["breach-of-agreement"] = "Helio processes my personal data in breach of its agreement with me",
        ["no-longer-used"] = "I no longer use the service, or I cancelled my account",
        ["service-ended"] = "Helio no longer provides me with the service",
    };
}
