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
        var approved = await queries.DecideAsync(userId, operationId, OperationState.Pending, AuditActions.OperationApproved,
            (s, now) => s.SetProperty(o => o.QueuedAt, now), ledger, time, cancellationToken);
        if (approved.IsSuccess)
        {
            signal.Pulse();
        }
        return approved;
    }
}
