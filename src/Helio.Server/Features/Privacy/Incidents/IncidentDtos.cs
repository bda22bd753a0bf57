namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>An incident in the privacy officer's list.</summary>
public sealed record IncidentSummaryDto(Guid Id, string Title, DateTimeOffset DiscoveredAt, DateTimeOffset DeadlineAt, bool Overdue, double? HoursLeft,
    DateTimeOffset? AuthorityNotifiedAt, int UsersNotified, DateTimeOffset? PublishedAt)
{
    public static IncidentSummaryDto From(SecurityIncident i, DateTimeOffset now) => new(i.Id, i.Title, i.DiscoveredAt, AuthorityClock.Deadline(i),
        AuthorityClock.Overdue(i, now), AuthorityClock.HoursLeft(i, now), i.AuthorityNotifiedAt, i.UsersNotified, i.PublishedAt);
}

/// <summary>An incident as the privacy officer sees it, with the 72-hour clock and how many accounts its query finds now.</summary>
public sealed record IncidentDto(
    Guid Id, string Title, DateTimeOffset DiscoveredAt, DateTimeOffset DeadlineAt, bool Overdue, double? HoursLeft,
    string Description, IReadOnlyList<string> DataCategories, AffectedQuery Affected, int AffectedNow, long? ApproximateRecords,
    string LikelyConsequences, string MeasuresTaken, string Advice, string Contact, DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? AuthorityNotifiedAt, string? AuthorityReference, string? DelayReason, DateTimeOffset? UsersNotifiedAt, int UsersNotified,
    DateTimeOffset? PublishedAt, string? PublicPath)
{
    public static IncidentDto From(SecurityIncident i, int affectedNow, DateTimeOffset now) => new(
        i.Id, i.Title, i.DiscoveredAt, AuthorityClock.Deadline(i), AuthorityClock.Overdue(i, now), AuthorityClock.HoursLeft(i, now),
        i.Description, i.DataCategories.Split(',', StringSplitOptions.RemoveEmptyEntries), IncidentInput.Deserialize(i.Affected), affectedNow, i.ApproximateRecords,
        i.LikelyConsequences, i.MeasuresTaken, i.Advice, i.Contact, i.RecordedAt, i.UpdatedAt,
        i.AuthorityNotifiedAt, i.AuthorityReference, i.DelayReason, i.UsersNotifiedAt, i.UsersNotified,
        i.PublishedAt, i.PublishedAt is null ? null : PathOf(i.Id));

    public static string PathOf(Guid id) => $"/privacy/incidents/{id}";
}

/// <summary>The draft notice to the supervisory authority.</summary>
public sealed record AuthorityNoticeDto(Guid IncidentId, DateTimeOffset DeadlineAt, bool Overdue, double? HoursLeft, int AffectedNow, string Text);

/// <summary>The notice to the people affected (Art. 34), as a user or the public page reads it.</summary>
public sealed record NoticeDto(Guid IncidentId, string Title, DateTimeOffset DiscoveredAt, string WhatHappened, string DataConcerned,
    string LikelyConsequences, string MeasuresTaken, string WhatYouCanDo, string Contact, DateTimeOffset? NotifiedAt, DateTimeOffset? ReadAt)
{
    public static NoticeDto From(SecurityIncident i, IncidentNotice? notice) => new(i.Id, i.Title, i.DiscoveredAt, i.Description,
        DataCategories.Describe(i.DataCategories), i.LikelyConsequences, i.MeasuresTaken, i.Advice, i.Contact, notice?.CreatedAt, notice?.ReadAt);
}

/// <summary>The result of notifying: how many were told this time, how many in all, and whether some are left for another call.</summary>
public sealed record NotifyResultDto(int NotifiedNow, int Mailed, int NotifiedInAll, bool More);

/// <summary>The privacy officer's record that the authority was told.</summary>
/// <param name="NotifiedAt">When (default: now); not before discovery, not in the future.</param>
/// <param name="DelayReason">Required when later than 72 hours after discovery.</param>
public sealed record AuthorityNotifiedRequest(DateTimeOffset? NotifiedAt, string? Reference, string? DelayReason);
