using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Access;

/// <summary>The owner (or an admin of the managing organisation, never the requester) says no; the requester is told.</summary>
internal sealed class DenyAccessRequest(HelioDbContext db, AccessRequestQueries queries, AccessRequestChange change, AccessMails mails, TimeProvider clock)
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
        return await change.ApplyAsync(userId, requestId,
            db.AccessRequests.Where(r => r.State == AccessRequestState.Pending),
            set => set.SetProperty(r => r.State, AccessRequestState.Denied).SetProperty(r => r.DecidedBy, userId).SetProperty(r => r.DecidedAt, now),
            () => mails.DeniedAsync(party.Request, cancellationToken),
            new AuditRecord(AuditActions.AccessDenied, AuditActor.User(userId), PlantId: party.Request.PlantId, Target: requestId.ToString()),
            cancellationToken);
    }
}
