using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>A child's account whose parent or guardian did not confirm before the link expired
/// (<see cref="RetentionOptions.GuardianConsentDays"/> after registering) is erased: GDPR Art. 8.</summary>
internal sealed class ExpiredChildAccounts(HelioDbContext db, AccountErasure erasure, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "children-without-consent";

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RetentionBatches.EraseAsync(erasure,
            batch => db.Set<GuardianConsent>().Where(g => g.ConfirmedAt == null && g.ExpiresAt <= now).OrderBy(g => g.ExpiresAt)
                .Select(g => g.UserId).Take(batch).ToListAsync(cancellationToken),
            ErasureReasons.NoGuardianConsent, options.Value.BatchSize, options.Value.MaxBatchesPerRun, cancellationToken);
}
