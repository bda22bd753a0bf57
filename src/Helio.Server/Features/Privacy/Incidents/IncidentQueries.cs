using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>Reads of incidents: the officer's list, record and authority draft; a user's own notices; the public notices.</summary>
internal sealed class IncidentQueries(HelioDbContext db, IOptions<RegionOptions> regions, TimeProvider time)
{
    public const int ListLimit = 200;
    public const int NoticeLimit = 50;

    private IQueryable<SecurityIncident> Incidents => db.Set<SecurityIncident>().AsNoTracking();

    public async Task<IReadOnlyList<IncidentSummaryDto>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var incidents = await Incidents.OrderByDescending(i => i.DiscoveredAt).Take(ListLimit).ToListAsync(cancellationToken);
        return incidents.Select(i => IncidentSummaryDto.From(i, now)).ToList();
    }

    public async Task<Outcome<IncidentDto>> GetAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        if (await Incidents.SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken) is not { } incident)
        {
            return Refusal.NotFound;
        }
        return IncidentDto.From(incident, await AffectedNowAsync(incident, cancellationToken), time.GetUtcNow());
    }

    public async Task<Outcome<AuthorityNoticeDto>> AuthorityNoticeAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        if (await Incidents.SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken) is not { } incident)
        {
            return Refusal.NotFound;
        }
        var now = time.GetUtcNow();
        var affected = await AffectedNowAsync(incident, cancellationToken);
        return new AuthorityNoticeDto(incident.Id, AuthorityClock.Deadline(incident), AuthorityClock.Overdue(incident, now), AuthorityClock.HoursLeft(incident, now),
            affected, IncidentNotices.ForAuthority(incident, affected, now));
    }

    /// <summary>The caller's notices, newest first; unread ones are what the app shows at the next visit.</summary>
    public async Task<IReadOnlyList<NoticeDto>> MyNoticesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<IncidentNotice>().AsNoTracking().Where(n => n.UserId == userId)
            .Join(Incidents, n => n.IncidentId, i => i.Id, (n, i) => new { n, i })
            .OrderByDescending(x => x.n.CreatedAt).Take(NoticeLimit).ToListAsync(cancellationToken);
        return rows.Select(x => NoticeDto.From(x.i, x.n)).ToList();
    }

    /// <summary>One of the caller's notices; a notice of someone else is as missing as one that does not exist.</summary>
    public async Task<NoticeDto?> MyNoticeAsync(Guid userId, Guid incidentId, CancellationToken cancellationToken)
    {
        var row = await db.Set<IncidentNotice>().AsNoTracking().Where(n => n.UserId == userId && n.IncidentId == incidentId)
            .Join(Incidents, n => n.IncidentId, i => i.Id, (n, i) => new { n, i }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : NoticeDto.From(row.i, row.n);
    }

    /// <summary>The oldest unread notice, for the banner every page shows until it is read.</summary>
    public Task<Guid?> FirstUnreadAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<IncidentNotice>().AsNoTracking().Where(n => n.UserId == userId && n.ReadAt == null)
            .OrderBy(n => n.CreatedAt).Select(n => (Guid?)n.IncidentId).FirstOrDefaultAsync(cancellationToken);

    public async Task<NoticeDto?> PublishedAsync(Guid incidentId, CancellationToken cancellationToken) =>
        await Incidents.SingleOrDefaultAsync(i => i.Id == incidentId && i.PublishedAt != null, cancellationToken) is { } incident ? NoticeDto.From(incident, null) : null;

    public async Task<IReadOnlyList<NoticeDto>> PublishedListAsync(CancellationToken cancellationToken)
    {
        var incidents = await Incidents.Where(i => i.PublishedAt != null).OrderByDescending(i => i.DiscoveredAt).Take(ListLimit).ToListAsync(cancellationToken);
        return incidents.Select(i => NoticeDto.From(i, null)).ToList();
    }

    private Task<int> AffectedNowAsync(SecurityIncident incident, CancellationToken cancellationToken) =>
        AffectedUsers.Query(db, IncidentInput.Deserialize(incident.Affected), regions.Value.Region!).CountAsync(cancellationToken);
}
