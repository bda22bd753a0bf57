using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// The fulfilment of export and transfer requests: a verified request becomes a queued <see cref="ExportJob"/>, and
/// this node's <see cref="ExportWorker"/> is woken (another node's finds it at its next poll). The requester's HTTP
/// request returns at once; the work, its progress and the request's next states are the worker's.
/// </summary>
internal abstract class QueueExport(HelioDbContext db, ExportSignal signal, TimeProvider clock) : IRequestFulfilment
{
    public abstract RequestKind Kind { get; }

    public async Task StartAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        // Verification happens once, but a retried call must not queue the same request twice.
        if (await db.Set<ExportJob>().AnyAsync(j => j.RequestId == request.Id, cancellationToken))
        {
            return;
        }
        db.Set<ExportJob>().Add(new ExportJob { RequestId = request.Id, UserId = request.UserId, State = ExportJobState.Queued, QueuedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
    }
}

internal sealed class QueueExportRequest(HelioDbContext db, ExportSignal signal, TimeProvider clock) : QueueExport(db, signal, clock)
{
    public override RequestKind Kind => RequestKind.Export;
}

internal sealed class QueueTransferRequest(HelioDbContext db, ExportSignal signal, TimeProvider clock) : QueueExport(db, signal, clock)
{
    public override RequestKind Kind => RequestKind.Transfer;
}

/// <summary>Wakes this node's <see cref="ExportWorker"/> when a request is queued here.</summary>
internal sealed class ExportSignal : WakeSignal;
