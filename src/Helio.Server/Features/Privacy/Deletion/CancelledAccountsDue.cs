using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>The retention job's question (<see cref="ICancelledAccounts"/>): cancellations older than the grace period, oldest first.
/// A withdrawn one has no row any more, and an erased account's row went with it.</summary>
internal sealed class CancelledAccountsDue(HelioDbContext db) : ICancelledAccounts
{
    public async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset cancelledBefore, int max, CancellationToken cancellationToken) =>
        await db.Set<AccountCancellation>().Where(c => c.CancelledAt < cancelledBefore).OrderBy(c => c.CancelledAt).ThenBy(c => c.UserId)
            .Select(c => c.UserId).Take(max).ToListAsync(cancellationToken);
}
