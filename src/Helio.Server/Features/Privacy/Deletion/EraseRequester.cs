using Helio.Server.Features.Audit;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// The second step of an erasure by <see cref="DeletionJob"/>: once the notices and the final confirmation have gone out
/// (or <see cref="DeletionOptions.NoticeWait"/> has passed, so a dead mailbox or receiver cannot hold it), the request
/// gets its last line — a deletion request is completed, a cancellation (answered already) gets "account erased" — with
/// the statement of what is erased and kept as plain facts, and the account is erased by <see cref="AccountErasure"/>,
/// in one transaction: either both happen or neither.
/// </summary>
internal sealed class EraseRequester(HelioDbContext db, RequestChange change, AccountErasure erasure, TimeProvider clock, IOptions<DeletionOptions> options)
{
    public async Task<Step> HandleAsync(AccountDeletion deletion, CancellationToken cancellationToken)
    {
        var userId = deletion.UserId;
        var now = clock.GetUtcNow();
        var pending = await db.OutboxMails.AnyAsync(m => m.UserId == userId && m.SentAt == null && m.FailedAt == null, cancellationToken)
            || await db.Deliveries.AnyAsync(d => d.UserId == userId && d.State == DeliveryState.Pending, cancellationToken);
        if (pending && now < deletion.NoticesSentAt!.Value + options.Value.NoticeWait)
        {
            return Step.Waiting;
        }
        var found = await change.FindAsync(null, deletion.RequestId, cancellationToken);
        if (!found.IsSuccess || !ErasureOccasion.IsDue(found.Value!, RequestState.InProgress))
        {
            return Step.Dropped;
        }
        var request = found.Value!;
        var occasion = ErasureOccasion.Of(request);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (request.Kind == RequestKind.Deletion)
        {
            request.State = RequestState.Completed;
            request.ClosedAt = now;
        }
        // The note (encrypted under the person's key) dies with the key; the facts are the statement that stays.
        var saved = await change.SaveAsync(request, null, occasion.ErasedLine, occasion.ErasedAudit,
            new EventNote(ErasureStatement.Text()), ErasureStatement.Facts(), null, cancellationToken);
        if (!saved.IsSuccess)
        {
            return Step.Waiting;
        }
        await erasure.EraseAsync(userId, AuditActor.System, occasion.ErasureReason, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Step.Erased;
    }
}
