using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>An account whose e-mail address was never confirmed is erased <see cref="RetentionOptions.UnconfirmedAccountDays"/>
/// after registering: its confirmation link has long expired, and nobody can use it.</summary>
internal sealed class UnconfirmedAccounts(HelioDbContext db, AccountErasure erasure, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "unconfirmed-accounts";

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.UnconfirmedAccountDays);
        return RetentionBatches.EraseAsync(erasure,
            batch => db.Users.Where(u => !u.EmailConfirmed && u.CreatedAt < cutoff).OrderBy(u => u.CreatedAt).Select(u => u.Id).Take(batch).ToListAsync(cancellationToken),
            ErasureReasons.UnconfirmedAccount, options.Value.BatchSize, options.Value.MaxBatchesPerRun, cancellationToken);
    }
}
