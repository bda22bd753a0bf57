using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// A verified deletion request is queued for <see cref="DeletionJob"/> and the job woken: the requester's HTTP request
/// returns at once, with the request verified; the job moves it on to in progress and completed. The ground the
/// requester gave is in the request's details (<see cref="DeletionGrounds"/>); each of the policy's grounds leads to
/// the same erasure, so it is recorded, not branched on.
/// </summary>
internal sealed class QueueDeletion(HelioDbContext db, DeletionSignal signal, TimeProvider clock) : IRequestFulfilment
{
    public RequestKind Kind => RequestKind.Deletion;

    public async Task StartAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        if (await db.Set<AccountDeletion>().AnyAsync(d => d.RequestId == request.Id, cancellationToken))
        {
            return;
        }
        db.Set<AccountDeletion>().Add(new AccountDeletion { RequestId = request.Id, UserId = request.UserId, QueuedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
    }
}
