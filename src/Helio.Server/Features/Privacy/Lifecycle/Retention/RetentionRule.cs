using Helio.Server.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>One line of the retention schedule, applied by <see cref="RetentionJob"/>. Rules are idempotent: a run that
/// stops half-way (a batch limit, a crash) leaves the rest to the next run.</summary>
public interface IRetentionRule
{
    /// <summary>Short, stable, safe to log: "unconfirmed-accounts".</summary>
    string Name { get; }

    /// <summary>Deletes what is past its time at <paramref name="now"/>; returns how many rows, files or accounts went.</summary>
    Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The two ways rules delete: rows in batches, and whole accounts through <see cref="AccountErasure"/>.</summary>
internal static class RetentionBatches
{
    /// <summary>Deletes the rows of <paramref name="expired"/> (ordered by key) <paramref name="batchSize"/> per statement,
    /// at most <paramref name="maxBatches"/> statements; each statement commits on its own.</summary>
    public static async Task<long> DeleteAsync<T>(IQueryable<T> expired, int batchSize, int maxBatches, CancellationToken cancellationToken)
    {
        long deleted = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var count = await expired.Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            deleted += count;
            if (count < batchSize)
            {
                break;
            }
        }
        return deleted;
    }

    /// <summary>Erases each account of <paramref name="due"/> (ordered), one transaction per account, at most
    /// <paramref name="batchSize"/> × <paramref name="maxBatches"/> per run; each erasure is audited with <paramref name="reason"/>.</summary>
    public static async Task<long> EraseAsync(AccountErasure erasure, Func<int, Task<List<Guid>>> due, string reason, int batchSize, int maxBatches, CancellationToken cancellationToken)
    {
        long erased = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var ids = await due(batchSize);
            foreach (var id in ids)
            {
                if (await erasure.EraseAsync(id, AuditActor.System, reason, cancellationToken))
                {
                    erased++;
                }
            }
            if (ids.Count < batchSize)
            {
                break;
            }
        }
        return erased;
    }
}
