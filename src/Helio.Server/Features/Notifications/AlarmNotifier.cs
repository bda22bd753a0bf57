using Helio.Server.Features.Alarms;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Runs the fan-out under a lease (one node at a time, so the ledger never races itself): at once when an alarm event
/// commits on this node, otherwise every <see cref="NotificationsOptions.PollInterval"/>; then releases what quiet hours
/// held and sends the digests that are due.
/// </summary>
internal sealed partial class AlarmNotifier(
    IServiceScopeFactory scopes,
    JobLeases leases,
    AlarmEventsSignal signal,
    IOptions<NotificationsOptions> options,
    ILogger<AlarmNotifier> logger) : BackgroundService
{
    public const string Job = "alarm-notifier";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>Everything due now; returns the events fanned out (0 when another node holds the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        // The lease is renewed before each batch, so a long backlog never outlives it.
        for (int handled; await HoldsLeaseAsync(cancellationToken) && (handled = await RunInScopeAsync<AlarmFanOut>(f => f.RunAsync(cancellationToken))) > 0;)
        {
            total += handled;
        }
        while (await HoldsLeaseAsync(cancellationToken) && await RunInScopeAsync<AlarmFanOut>(f => f.ReleaseHeldAsync(cancellationToken)) > 0)
        {
        }
        if (await HoldsLeaseAsync(cancellationToken))
        {
            await RunInScopeAsync<DailyDigests>(d => d.RunAsync(cancellationToken));
        }
        return total;
    }

    private async Task<bool> HoldsLeaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await leases.TryAcquireAsync(scope.ServiceProvider.GetRequiredService<HelioDbContext>(), Job, Lease, cancellationToken);
    }

    /// <summary>Each batch in a fresh scope, so one batch's tracked rows never weigh on the next.</summary>
    private async Task<int> RunInScopeAsync<T>(Func<T, Task<int>> work)
        where T : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<T>());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifying alarm events failed; retrying at the next round")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
