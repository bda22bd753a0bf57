using System.Text.Json;
using Helio.Server.Features.Access;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// After-sales access an engineer asked for as an organisation's engineer (<see cref="AccessRequest.OrganisationId"/>)
/// lasts only while they are one: leaving the organisation, losing the after-sales role or the organisation's
/// cancellation ends their pending requests and live grants at once, as a revocation by whoever made the change.
/// </summary>
internal static class OrganisationGrants
{
    /// <summary>Marks the requests revoked (tracked; saved with the caller's changes) and returns their audit records.</summary>
    public static async Task<List<AuditRecord>> EndAsync(HelioDbContext db, Guid organisationId, Guid? engineerId, Guid actorId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await db.AccessRequests
            .Where(r => r.OrganisationId == organisationId && (engineerId == null || r.RequesterId == engineerId)
                && (r.State == AccessRequestState.Pending || (r.State == AccessRequestState.Approved && r.EndsAt > now)))
            .ToListAsync(cancellationToken);
        var records = new List<AuditRecord>(open.Count);
        foreach (var request in open)
        {
            request.State = AccessRequestState.Revoked;
            request.RevokedAt = now;
            request.RevokedBy = actorId;
            records.Add(new AuditRecord(AuditActions.AccessRevoked, AuditActor.User(actorId), PlantId: request.PlantId, Target: request.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { organisationId, reason })));
        }
        return records;
    }
}
