using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Hourly: token entries that expired or were revoked more than a day ago go (OpenIddict's own pruning), and so do
/// request records older than 7 days of accounts that have gone quiet. Both are deletes of what is already dead, so
/// several nodes may run them at once.
/// </summary>
internal sealed class ApiAccountMaintenance(IServiceScopeFactory scopes, TimeProvider time, ILogger<ApiAccountMaintenance> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(Every, time, RunOnceAsync, e => logger.LogWarning(e, "API account maintenance failed"), stoppingToken);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = time.GetUtcNow();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(now - TimeSpan.FromDays(1), cancellationToken);
        var cutoff = now - ApiRequestLog.KeepFor;
        await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Set<ApiRequestRecord>().Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
