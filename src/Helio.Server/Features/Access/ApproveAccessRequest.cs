using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Access;

/// <summary>
/// The owner (or an admin of the managing organisation, never the requester) says yes: the grant starts now and ends
/// by itself after the hours asked for. Approving and denying race on the pending state: the first decision wins.
/// </summary>
internal sealed class ApproveAccessRequest(HelioDbContext db, AccessRequestQueries queries, AccessRequestChange change, AccessMails mails, TimeProvider clock)
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
        var request = party.Request;
        var now = clock.GetUtcNow();
        var endsAt = now.AddHours(request.Hours);
        request.EndsAt = endsAt;
        return await change.ApplyAsync(userId, requestId,
            db.AccessRequests.Where(r => r.State == AccessRequestState.Pending),
            set => set.SetProperty(r => r.State, AccessRequestState.Approved).SetProperty(r => r.DecidedBy, userId)
                .SetProperty(r => r.DecidedAt, now).SetProperty(r => r.StartsAt, now).SetProperty(r => r.EndsAt, endsAt),
            () => mails.ApprovedAsync(request, party.PlantName, cancellationToken),
            new AuditRecord(AuditActions.AccessApproved, AuditActor.User(userId), PlantId: request.PlantId, Target: requestId.ToString(),
                Detail: JsonSerializer.Serialize(new { scope = request.Scope, hours = request.Hours, endsAt })),
            cancellationToken);
    }
}
