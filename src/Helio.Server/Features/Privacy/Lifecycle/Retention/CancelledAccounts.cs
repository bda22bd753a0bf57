using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>
/// The seam for account cancellation (issue 7, deliverable 3: "apply for cancellation", a grace period, then deletion).
/// The cancellation feature registers its implementation (the last registration wins): the accounts whose cancellation
/// took effect before <c>cancelledBefore</c> and was not withdrawn since (signing in withdraws it), oldest first.
/// </summary>
public interface ICancelledAccounts
{
    Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset cancelledBefore, int max, CancellationToken cancellationToken);
}

/// <summary>Until cancellation exists, no account is cancelled.</summary>
internal sealed class NoCancelledAccounts : ICancelledAccounts
{
    public Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset cancelledBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([]);
}

/// <summary>A cancelled account is erased once <see cref="RetentionOptions.CancelledAccountGraceDays"/> have passed since its cancellation.</summary>
internal sealed class CancelledAccounts(ICancelledAccounts cancelled, AccountErasure erasure, IOptions<RetentionOptions> options) : IRetentionRule
{
    public string Name => "cancelled-accounts";

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.CancelledAccountGraceDays);
        return RetentionBatches.EraseAsync(erasure,
            async batch => [.. await cancelled.DueAsync(cutoff, batch, cancellationToken)],
            ErasureReasons.AccountCancelled, options.Value.BatchSize, options.Value.MaxBatchesPerRun, cancellationToken);
    }
}
