using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// Part of /health/ready: Degraded (still 200, the node serves) while a KEK that must be destroyed after an erasure has
/// outlived the rotation job's minute by more than <see cref="Grace"/> — with keys from configuration, until the operator
/// rotates them (ADR 0027). The description names only the time, never a key.
/// </summary>
internal sealed class KeyRotationDue(IServiceScopeFactory scopes, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var since = await db.KekRetirements.OrderBy(r => r.DueSince).Select(r => (DateTimeOffset?)r.DueSince).FirstOrDefaultAsync(cancellationToken);
        return since is { } due && time.GetUtcNow() - due > Grace
            ? HealthCheckResult.Degraded($"A key rotation is due since {due:o}: backups taken before an erasure still decrypt.")
            : HealthCheckResult.Healthy();
    }
}
