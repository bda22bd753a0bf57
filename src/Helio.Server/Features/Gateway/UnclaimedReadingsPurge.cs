using Helio.Server.Features.Devices;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Readings of a logger nobody has registered are kept for <see cref="Retention"/>, so an owner who registers it
/// within a week sees its recent history; older ones are deleted every hour. Readings of registered loggers stay.
/// </summary>
internal sealed partial class UnclaimedReadingsPurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<UnclaimedReadingsPurge> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(Every, time, PurgeAsync, e => LogFailed(logger, e), stoppingToken);

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var cutoff = (time.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
        var deleted = await db.Readings
            .Where(r => r.At < cutoff && db.TelemetryDevices.Any(t => t.Number == r.Device && t.LoggerSerial != null
                && !db.Devices.Any(d => d.Kind == DeviceKind.Logger && d.SerialNumber == t.LoggerSerial)))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPurged(logger, deleted);
        }
        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} readings of unclaimed loggers older than 7 days")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Purging readings of unclaimed loggers failed; next try in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
