using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.RemoteControl;

/// <summary>A second person who may operate the plant (never the requester) rejects a dangerous operation: nothing is sent.</summary>
internal sealed class RejectOperation(OperationQueries queries, OperationLedger ledger, TimeProvider time)
{
    public Task<Outcome<OperationDto>> HandleAsync(Guid userId, Guid operationId, CancellationToken cancellationToken) =>
        queries.DecideAsync(userId, operationId, OperationState.Rejected, AuditActions.OperationRejected,
            (s, now) => s.SetProperty(o => o.CompletedAt, now), ledger, time, cancellationToken);
}
