using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Hourly housekeeping of the raw store, one node at a time (a lease): on PostgreSQL, this month's partition and the
/// next two are created ahead so the writer never waits on DDL; then readings past retention are purged, a bounded
/// number of chunks per run (<see cref="RawRetention"/>), the rest in the next runs.
/// </summary>
internal sealed partial class TelemetryMaintenance(
    IServiceScopeFactory scopes, JobLeases leases, ReadingPartitions partitions, RawRetention retention, DatabaseTarget target,
    TimeProvider time, IOptions<TelemetryOptions> options, ILogger<TelemetryMaintenance> logger) : BackgroundService
{
    private const string Job = "telemetry-maintenance";
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    /// <summary>Chunks per run: 100 × 10,000 rows is a million readings an hour, far above what a fleet adds.</summary>
    private const int ChunksPerRun = 100;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(Every, time, RunOnceAsync, e => LogFailed(logger, e), stoppingToken);

    /// <summary>Returns the readings (and dropped months) purged; -1 when another node holds the lease.</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (!await leases.TryAcquireAsync(db, Job, TimeSpan.FromMinutes(30), cancellationToken))
        {
            return -1;
        }
        var now = time.GetUtcNow();
        if (target.Provider == DatabaseProvider.Postgres)
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await partitions.CreateAsync(connection, [(now.Year, now.Month), Month(now, 1), Month(now, 2)], cancellationToken);
        }
        var purged = await retention.PurgeAsync(db, now.AddDays(-options.Value.RawRetentionDays), ChunksPerRun, cancellationToken);
        if (purged > 0)
        {
            LogPurged(logger, purged, options.Value.RawRetentionDays);
        }
        return purged;
    }

    private static (int, int) Month(DateTimeOffset now, int ahead)
    {
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(ahead);
        return (month.Year, month.Month);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} raw readings (or partitions) older than {Days} days")]
    private static partial void LogPurged(ILogger logger, long count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telemetry maintenance failed; next try in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
