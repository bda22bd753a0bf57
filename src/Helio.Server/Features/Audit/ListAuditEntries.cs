using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>An entry as platform admins see it: pseudonyms, ids and times, never a name or an address.</summary>
public sealed record AuditEntryDto(long Seq, DateTimeOffset At, string Action, AuditActorKind ActorKind, Guid? ActorId, Guid? SubjectId, Guid? PlantId, string? Target, string Hash);

public sealed record AuditEntryPage(IReadOnlyList<AuditEntryDto> Items, string? Next);

/// <summary>The whole trail for platform admins, newest first, optionally one action only; keyset-paged by Seq.</summary>
internal sealed class ListAuditEntries(HelioDbContext db)
{
    public async Task<Outcome<AuditEntryPage>> HandleAsync(string? action, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var validation = new Validation().Optional("action", action, 64);
        var paging = AuditPaging.Parse(cursor, limit, validation);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }
        if (paging.Before is { } before)
        {
            query = query.Where(e => e.Seq < before);
        }
        var fetched = await query.OrderByDescending(e => e.Seq).Take(paging.Take + 1).ToListAsync(cancellationToken);
        var (rows, next) = paging.Cut(fetched, e => e.Seq);
        return new AuditEntryPage(
            rows.Select(e => new AuditEntryDto(e.Seq, e.At, e.Action, e.ActorKind, e.ActorId, e.SubjectId, e.PlantId, e.Target, Convert.ToHexStringLower(e.Hash))).ToList(),
            next);
    }
}
