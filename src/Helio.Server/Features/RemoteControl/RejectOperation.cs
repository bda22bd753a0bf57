using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.RemoteControl;

/// <summary>A second person who may operate the plant (never the requester) rejects a dangerous operation: nothing is sent.</summary>
internal sealed class RejectOperation(OperationQueries queries, OperationLedger ledger, TimeProvider time)
{
    public async Task<Outcome<OperationDto>> HandleAsync(Guid userId, Guid operationId, CancellationToken cancellationToken)
    {
        var decidable = await queries.DecidableAsync(userId, operationId, cancellationToken);
        if (!decidable.IsSuccess)
        {
            return decidable.ToRefusal();
        }
        var now = time.GetUtcNow();
        var rejected = await ledger.MoveAsync(decidable.Value!, o => o.State == OperationState.AwaitingApproval,
            s => s.SetProperty(o => o.State, OperationState.Rejected).SetProperty(o => o.DecidedBy, userId)
                .SetProperty(o => o.DecidedAt, now).SetProperty(o => o.CompletedAt, now),
            AuditActions.OperationRejected, AuditActor.User(userId), cancellationToken);
        return rejected ? (await queries.GetAsync(userId, operationId, cancellationToken))! : Refusal.Conflict("Someone decided on it meanwhile.");
    }
}
