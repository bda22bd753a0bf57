using System.Globalization;
using Helio.Server.Features.Privacy.Incidents;

namespace Helio.Server.Features.Web.Pages.Privacy.Incidents;

/// <summary>The incident form's fields as the browser posts them; the categories come as repeated <c>category</c> values.</summary>
public sealed class IncidentForm
{
    public const string CategoryField = "category";

    public string? Title { get; set; }
    /// <summary>yyyy-MM-ddTHH:mm, UTC (a datetime-local input).</summary>
    public string? DiscoveredAt { get; set; }
    public string? Description { get; set; }
    public string? AffectedKind { get; set; } = AffectedQuery.All;
    /// <summary>Plant or organisation ids, one per line.</summary>
    public string? AffectedIds { get; set; }
    public string? AffectedRegion { get; set; }
    public string? ApproximateRecords { get; set; }
    public string? LikelyConsequences { get; set; }
    public string? MeasuresTaken { get; set; }
    public string? Advice { get; set; }
    public string? Contact { get; set; }

    /// <summary>Not bound from the form (checkboxes post repeated values, read by <see cref="ToRequest"/>).</summary>
    public IReadOnlyList<string> Categories { get; private set; } = [];

    public static IncidentForm From(IncidentDto incident) => new()
    {
        Title = incident.Title,
        DiscoveredAt = incident.DiscoveredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        Description = incident.Description,
        AffectedKind = incident.Affected.Kind,
        AffectedIds = incident.Affected.Ids is { } ids ? string.Join('\n', ids) : null,
        AffectedRegion = incident.Affected.Region,
        ApproximateRecords = incident.ApproximateRecords?.ToString(CultureInfo.InvariantCulture),
        LikelyConsequences = incident.LikelyConsequences,
        MeasuresTaken = incident.MeasuresTaken,
        Advice = incident.Advice,
        Contact = incident.Contact,
        Categories = incident.DataCategories,
    };

    /// <summary>The request the use cases validate; what does not even parse is reported here, under the same field names.</summary>
    public IncidentRequest ToRequest(IEnumerable<string?> categories, FormErrors errors)
    {
        Categories = categories.Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        DateTimeOffset? discovered = null;
        if (!string.IsNullOrWhiteSpace(DiscoveredAt))
        {
            if (DateTime.TryParseExact(DiscoveredAt.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                discovered = new DateTimeOffset(parsed, TimeSpan.Zero);
            }
            else
            {
                errors.Add("discoveredAt", "A date and time (UTC).");
            }
        }
        var ids = new List<Guid>();
        foreach (var line in (AffectedIds ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Guid.TryParse(line, out var id))
            {
                ids.Add(id);
            }
            else
            {
                errors.Add("affected.ids", "One plant or organisation id per line.");
                break;
            }
        }
        long? records = null;
        if (!string.IsNullOrWhiteSpace(ApproximateRecords))
        {
            if (long.TryParse(ApproximateRecords.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                records = n;
            }
            else
            {
                errors.Add("approximateRecords", "A whole number.");
            }
        }
        return new IncidentRequest(Title, discovered, Description, Categories,
            new AffectedQuery(AffectedKind, ids, string.IsNullOrWhiteSpace(AffectedRegion) ? null : AffectedRegion.Trim().ToUpperInvariant()),
            records, LikelyConsequences, MeasuresTaken, Advice, Contact);
    }
}
