using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// The alarms no single reading can raise, checked every <see cref="AlarmsOptions.CheckInterval"/>: offline devices and
/// closing stable alarms under a lease (one node for the fleet), and communication quality on every node for its own
/// loggers.
/// </summary>
internal sealed partial class AlarmChecks(
    IServiceScopeFactory scopes,
    JobLeases leases,
    LoggerLinks links,
    IOptions<AlarmsOptions> options,
    IOptions<GatewayOptions> gateway,
    TimeProvider time,
    ILogger<AlarmChecks> logger) : BackgroundService
{
    public const string Job = "alarm-checks";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        links.BucketLength = options.Value.CommunicationWindow / LoggerLinks.Buckets;
        return Periodically.RunAsync(options.Value.CheckInterval, time, RunOnceAsync, e => LogFailed(logger, e), stoppingToken);
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var book = scope.ServiceProvider.GetRequiredService<AlarmBook>();
        var settings = options.Value;
        await new CommunicationAlarms(db, book, links, settings, time).RunAsync(cancellationToken);
        if (await leases.TryAcquireAsync(db, Job, settings.CheckInterval * 3, cancellationToken))
        {
            await new OfflineAlarms(db, book, settings, PlantAlarmSettingsStore.DefaultOffline(settings, gateway.Value), time).RunAsync(cancellationToken);
            while (await book.CloseStableAsync(500, cancellationToken) == 500)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking offline devices and link quality failed; trying again at the next round")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
