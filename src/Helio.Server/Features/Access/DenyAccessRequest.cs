using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Access;

/// <summary>The owner (or an admin of the managing organisation, never the requester) says no; the requester is told.</summary>
internal sealed class DenyAccessRequest(HelioDbContext db, AccessRequestQueries queries, AccessMails mails, AuditTrail audit, TimeProvider clock)
{
    public async Task<Outcome<AccessRequestDto>> HandleAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(userId, requestId, cancellationToken) is not { } party)
        {
            return Refusal.NotFound;
        }
        if (party.RefuseDecision() is { } refusal)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.AccessRequests.Where(r => r.Id == requestId && r.State == AccessRequestState.Pending).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.State, AccessRequestState.Denied)
            .SetProperty(r => r.DecidedBy, userId)
            .SetProperty(r => r.DecidedAt, now), cancellationToken);
        if (changed == 0)
        {
            return Refusal.Conflict("The request has been decided already.");
        }
        await mails.DeniedAsync(party.Request, cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.AccessDenied, AuditActor.User(userId), PlantId: party.Request.PlantId, Target: requestId.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.GetAsync(userId, requestId, cancellationToken))!;
    }
}
