using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Keeps rollups current: every <see cref="TelemetryOptions.RollupInterval"/> it takes the marked buckets, oldest
/// first, and rolls each up (<see cref="BucketRollup"/>). One node at a time (a lease in the database), so two nodes
/// never compute the same bucket at once. A mark is removed only if its token is unchanged, so readings that
/// arrived while a bucket was computed get it computed again.
/// </summary>
internal sealed partial class RollupWorker(IServiceScopeFactory scopes, JobLeases leases, TimeProvider time, IOptions<TelemetryOptions> options, ILogger<RollupWorker> logger)
    : BackgroundService
{
    private const string Job = "telemetry-rollups";

    /// <summary>Buckets taken per round: bounds the time a round holds the lease between renewals.</summary>
    private const int BucketsPerRound = 100;

    /// <summary>The lease keeps other nodes out; this keeps a second round on this node (a test, an admin command) from
    /// running beside the timer's.</summary>
    private readonly SemaphoreSlim running = new(1, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(options.Value.RollupInterval, time, async ct =>
        {
            while (await RunOnceAsync(ct) == BucketsPerRound)
            {
                // A backlog (back-filled history, a node that was down): keep going while holding the lease.
            }
        }, e => LogFailed(logger, e), stoppingToken);

    /// <summary>Rolls up one round of marked buckets; returns how many (0 when another node holds the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            return await RoundAsync(cancellationToken);
        }
        finally
        {
            running.Release();
        }
    }

    private async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (!await leases.TryAcquireAsync(db, Job, TimeSpan.FromMinutes(2), cancellationToken))
        {
            return 0;
        }
        var marks = await db.RollupDirty.AsNoTracking().OrderBy(d => d.Bucket).Take(BucketsPerRound).ToListAsync(cancellationToken);
        if (marks.Count == 0)
        {
            return 0;
        }
        await new BucketRollup(db).RollUpAsync(marks.Select(m => m.Bucket).ToList(), cancellationToken);
        foreach (var mark in marks)
        {
            await db.RollupDirty.Where(d => d.Bucket == mark.Bucket && d.Token == mark.Token).ExecuteDeleteAsync(cancellationToken);
        }
        return marks.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rolling up telemetry failed; next try in one interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
