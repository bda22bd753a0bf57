using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.RemoteControl;

/// <summary>
/// A second person who may operate the plant (the owner, or another operate-grant holder; never the requester)
/// approves a dangerous operation: it is queued for sending, exactly as it was requested.
/// </summary>
internal sealed class ApproveOperation(OperationQueries queries, OperationLedger ledger, OperationSignal signal, TimeProvider time)
{
    public async Task<Outcome<OperationDto>> HandleAsync(Guid userId, Guid operationId, CancellationToken cancellationToken)
    {
        var decidable = await queries.DecidableAsync(userId, operationId, cancellationToken);
        if (!decidable.IsSuccess)
        {
            return decidable.ToRefusal();
        }
        var now = time.GetUtcNow();
        var approved = await ledger.MoveAsync(decidable.Value!, o => o.State == OperationState.AwaitingApproval,
            s => s.SetProperty(o => o.State, OperationState.Pending).SetProperty(o => o.DecidedBy, userId)
                .SetProperty(o => o.DecidedAt, now).SetProperty(o => o.QueuedAt, now),
            AuditActions.OperationApproved, AuditActor.User(userId), cancellationToken);
        if (!approved)
        {
            return Refusal.Conflict("Someone decided on it meanwhile.");
        }
        signal.Pulse();
        return (await queries.GetAsync(userId, operationId, cancellationToken))!;
    }
}
