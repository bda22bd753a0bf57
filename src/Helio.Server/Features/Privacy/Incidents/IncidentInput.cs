using System.Text.Json;
using System.Text.Json.Serialization;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>Who is affected, as a query resolved when they are notified.</summary>
/// <param name="Kind"><c>all</c>, <c>plants</c>, <c>organisations</c> or <c>region</c>.</param>
/// <param name="Ids">The plants or organisations, for those kinds.</param>
/// <param name="Region">The home region, for <c>region</c>.</param>
public sealed record AffectedQuery(string? Kind, IReadOnlyList<Guid>? Ids = null, string? Region = null)
{
    public const string All = "all", Plants = "plants", Organisations = "organisations", InRegion = "region";
}

/// <summary>What the privacy officer writes when recording or updating an incident.</summary>
public sealed record IncidentRequest(
    string? Title,
    DateTimeOffset? DiscoveredAt,
    string? Description,
    IReadOnlyList<string>? DataCategories,
    AffectedQuery? Affected,
    long? ApproximateRecords,
    string? LikelyConsequences,
    string? MeasuresTaken,
    string? Advice,
    string? Contact);

/// <summary>The kinds of personal data an incident may concern, with the words notices use for them.</summary>
public static class DataCategories
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["names"] = "names",
        ["contact"] = "e-mail addresses and phone numbers",
        ["credentials"] = "password hashes and two-factor secrets",
        ["date-of-birth"] = "dates of birth",
        ["location"] = "plant locations and addresses",
        ["devices"] = "device serial numbers",
        ["telemetry"] = "measurements of plants",
        ["settings"] = "account and notification settings",
        ["activity"] = "sign-in and access records",
    };

    public static string Describe(string codes) =>
        string.Join(", ", codes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => Names.GetValueOrDefault(c, c)));
}

/// <summary>Validation and limits shared by recording and updating; a valid request becomes the incident's fields.</summary>
public static class IncidentInput
{
    public const int MaxTitle = 200, MaxText = 4000, MaxContact = 500, MaxReference = 200, MaxIds = 1000, MaxAffectedJson = 45_000;

    /// <summary>The discovery may be stated a little ahead of this server's clock, not more.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Validation Validate(IncidentRequest request, DateTimeOffset now)
    {
        var validation = new Validation();
        validation.Require("title", request.Title, MaxTitle);
        if (request.DiscoveredAt is not { } discovered)
        {
            validation.Add("discoveredAt", "Required: when the breach was found.");
        }
        else if (discovered > now + ClockSkew)
        {
            validation.Add("discoveredAt", "Cannot be in the future.");
        }
        validation.Require("description", request.Description, MaxText);
        validation.Require("likelyConsequences", request.LikelyConsequences, MaxText);
        validation.Require("measuresTaken", request.MeasuresTaken, MaxText);
        validation.Require("advice", request.Advice, MaxText);
        validation.Require("contact", request.Contact, MaxContact);
        if (request.DataCategories is not { Count: > 0 } categories)
        {
            validation.Add("dataCategories", "Name at least one category of personal data.");
        }
        else if (categories.FirstOrDefault(c => !DataCategories.Names.ContainsKey(c)) is { } unknown)
        {
            validation.Add("dataCategories", $"Unknown category '{Clip(unknown)}'. Known: {string.Join(", ", DataCategories.Names.Keys)}.");
        }
        if (request.ApproximateRecords is < 0)
        {
            validation.Add("approximateRecords", "Cannot be negative.");
        }
        ValidateAffected(validation, request.Affected);
        return validation;
    }

    private static void ValidateAffected(Validation validation, AffectedQuery? affected)
    {
        switch (affected?.Kind)
        {
            case AffectedQuery.All:
                break;
            case AffectedQuery.Plants or AffectedQuery.Organisations:
                if (affected.Ids is not { Count: > 0 and <= MaxIds })
                {
                    validation.Add("affected.ids", $"Between 1 and {MaxIds} ids of {affected.Kind}.");
                }
                break;
            case AffectedQuery.InRegion:
                if (!DataRegions.IsRegionCode(affected.Region))
                {
                    validation.Add("affected.region", "A region code: 2–16 capital letters, digits or hyphens (e.g. EU).");
                }
                break;
            default:
                validation.Add("affected.kind", "all, plants, organisations or region.");
                break;
        }
    }

    /// <summary>Copies a valid request onto the incident.</summary>
    public static void Apply(IncidentRequest request, SecurityIncident incident)
    {
        incident.Title = request.Title!.Trim();
        incident.DiscoveredAt = request.DiscoveredAt!.Value.ToUniversalTime();
        incident.Description = request.Description!.Trim();
        incident.DataCategories = string.Join(',', request.DataCategories!.Distinct(StringComparer.Ordinal));
        incident.Affected = Serialize(request.Affected!);
        incident.ApproximateRecords = request.ApproximateRecords;
        incident.LikelyConsequences = request.LikelyConsequences!.Trim();
        incident.MeasuresTaken = request.MeasuresTaken!.Trim();
        incident.Advice = request.Advice!.Trim();
        incident.Contact = request.Contact!.Trim();
    }

    public static string Serialize(AffectedQuery query) => JsonSerializer.Serialize(query.Kind switch
    {
        AffectedQuery.Plants or AffectedQuery.Organisations => new AffectedQuery(query.Kind, query.Ids!.Distinct().ToList()),
        AffectedQuery.InRegion => new AffectedQuery(query.Kind, null, query.Region),
        _ => new AffectedQuery(AffectedQuery.All),
    }, Json);

    public static AffectedQuery Deserialize(string json) => JsonSerializer.Deserialize<AffectedQuery>(json, Json)!;

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
