using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// The retention schedule's "cancelled-accounts" line: a cancellation older than the grace period
/// (<see cref="RetentionOptions.CancelledAccountGraceDays"/>) is handed to <see cref="DeletionJob"/>, which erases the
/// account as it does for a deletion request — first the notices to everyone the data went to and the final mail, then
/// the erasure — so the recipients hear of a cancelled account too. Each hand-over is one transaction that removes the
/// cancellation and queues the deletion: a sign-in at the same moment either withdraws the cancellation first or finds it
/// gone. Counts accounts handed over, oldest first.
/// </summary>
internal sealed class CancelledAccountsDue(HelioDbContext db, DeletionSignal signal, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "cancelled-accounts";

    public async Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.CancelledAccountGraceDays);
        long queued = 0;
        for (var batch = 0; batch < options.Value.MaxBatchesPerRun; batch++)
        {
            var due = await db.Set<AccountCancellation>().AsNoTracking().Where(c => c.CancelledAt < cutoff)
                .OrderBy(c => c.CancelledAt).ThenBy(c => c.UserId).Take(options.Value.BatchSize).ToListAsync(cancellationToken);
            foreach (var cancellation in due)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (await db.Set<AccountCancellation>().Where(c => c.UserId == cancellation.UserId).ExecuteDeleteAsync(cancellationToken) == 0)
                {
                    continue; // withdrawn by a sign-in meanwhile
                }
                db.Set<AccountDeletion>().Add(new AccountDeletion { RequestId = cancellation.RequestId, UserId = cancellation.UserId, QueuedAt = now });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                queued++;
            }
            if (due.Count < options.Value.BatchSize)
            {
                break;
            }
        }
        if (queued > 0)
        {
            signal.Pulse();
        }
        return queued;
    }
}
