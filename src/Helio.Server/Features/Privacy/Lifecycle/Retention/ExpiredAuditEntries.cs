using Helio.Server.Features.Audit;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>Audit entries are kept <see cref="RetentionOptions.AuditYears"/> years, then removed from the oldest on,
/// leaving a signed checkpoint from which the rest still verifies (<see cref="AuditExpiry"/>, ADR 0024).</summary>
internal sealed class ExpiredAuditEntries(AuditExpiry expiry, IOptions<RetentionOptions> options) : IRetentionRule
{
    /// <summary>Audit entries are small: far more go per transaction than other rows.</summary>
    public const int BatchFactor = 20;

    public string Name => "audit-entries";

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        expiry.ExpireAsync(now.AddYears(-options.Value.AuditYears), options.Value.BatchSize * BatchFactor, options.Value.MaxBatchesPerRun, cancellationToken);
}
