using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Access;

/// <summary>
/// Ends a grant at once: the owner, whoever approved it, an admin of the managing organisation, or the engineer giving
/// it up. The requester may also withdraw a pending request this way (deciders deny those instead). Nothing is cached:
/// <see cref="Plants.PlantAccess"/> reads grants on every request, so the engineer's next request no longer sees the
/// plant.
/// </summary>
internal sealed class RevokeAccessRequest(HelioDbContext db, AccessRequestQueries queries, AccessRequestChange change, AccessMails mails, TimeProvider clock)
{
    public async Task<Outcome<AccessRequestDto>> HandleAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(userId, requestId, cancellationToken) is not { } party)
        {
            return Refusal.NotFound;
        }
        var request = party.Request;
        var now = clock.GetUtcNow();
        if (!party.MayRevokeAt(now))
        {
            return request.State == AccessRequestState.Pending
                ? Refusal.Conflict("A pending request is denied, not revoked; only its requester withdraws it.")
                : Refusal.Conflict("It has ended already.");
        }
        var pending = request.State == AccessRequestState.Pending;
        var by = party.IsRequester ? "requester" : party.IsOwner ? "owner" : party.ManagingAdmin ? "organisation-admin" : "approver";
        return await change.ApplyAsync(userId, requestId,
            pending ? db.AccessRequests.Where(r => r.State == AccessRequestState.Pending) : db.AccessRequests.Where(AccessRequest.LiveAt(now)),
            set => set.SetProperty(r => r.State, AccessRequestState.Revoked).SetProperty(r => r.RevokedBy, userId).SetProperty(r => r.RevokedAt, now),
            // The engineer hears of it unless they did it themselves.
            () => party.IsRequester ? Task.CompletedTask : mails.RevokedAsync(request, cancellationToken),
            new AuditRecord(AuditActions.AccessRevoked, AuditActor.User(userId), PlantId: request.PlantId, Target: requestId.ToString(),
                Detail: JsonSerializer.Serialize(new { by, wasPending = pending })),
            cancellationToken);
    }
}
