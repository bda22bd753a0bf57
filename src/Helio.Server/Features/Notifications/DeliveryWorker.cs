using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Sends due webhook and push deliveries, retrying with exponential backoff until <see cref="NotificationsOptions.MaxAttempts"/>,
/// then leaving them dead for the owner to see and replay. Like the mail outbox, several nodes may run it: each
/// claims a batch with a lease (an UPDATE only one node can win), so a delivery is sent by one node at a time.
/// </summary>
internal sealed partial class DeliveryWorker(
    IServiceScopeFactory scopes,
    IOptions<NotificationsOptions> options,
    DeliverySignal signal,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Delivered and dead deliveries are the owner's delivery log for this long (docs/privacy/data-inventory.md).</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    private DateTimeOffset lastPurge = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverBatchAsync(stoppingToken) == BatchSize)
                {
                }
                if (time.GetUtcNow() - lastPurge >= TimeSpan.FromHours(1))
                {
                    await PurgeAsync(stoppingToken);
                    lastPurge = time.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(logger, ex);
            }
            try
            {
                await signal.WaitAsync(options.Value.DeliveryPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Deletes finished deliveries older than <see cref="KeepFor"/> (every node may; the delete is idempotent).</summary>
    internal async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var before = time.GetUtcNow() - KeepFor;
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Deliveries
            .Where(d => d.State != DeliveryState.Pending && d.CreatedAt < before)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Sends one batch of due deliveries; returns how many were claimed.</summary>
    internal async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var now = time.GetUtcNow();
        var claim = Guid.NewGuid();
        // Sends are one after another, each bounded by the timeout: the lease outlasts the whole batch, so no other
        // node can claim a delivery that is still being sent.
        var lease = options.Value.DeliveryTimeout * (BatchSize + 1) + TimeSpan.FromMinutes(1);
        var claimed = await db.Deliveries
            .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt)
            .Take(BatchSize)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, claim).SetProperty(d => d.LeaseUntil, now + lease), cancellationToken);
        if (claimed == 0)
        {
            return 0;
        }
        var deliveries = await db.Deliveries.Where(d => d.LeaseOwner == claim).ToListAsync(cancellationToken);
        var webhooks = scope.ServiceProvider.GetRequiredService<SendWebhook>();
        var push = scope.ServiceProvider.GetRequiredService<SendPush>();
        foreach (var delivery in deliveries)
        {
            var result = await AttemptAsync(delivery, webhooks, push, cancellationToken);
            Record(delivery, result);
            delivery.LeaseOwner = null;
            delivery.LeaseUntil = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        return claimed;
    }

    private async Task<SendResult> AttemptAsync(Delivery delivery, SendWebhook webhooks, SendPush push, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DeliveryTimeout);
        try
        {
            return delivery.Channel switch
            {
                NotificationChannel.Webhook => await webhooks.SendAsync(delivery, timeout.Token),
                NotificationChannel.Push => await push.SendAsync(delivery, timeout.Token),
                _ => SendResult.Dead(null, $"Channel {delivery.Channel} is not delivered here."),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Failed(null, "Timed out.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only the kind of error: messages of connection errors name the host and port, which belong to the URL.
            return SendResult.Failed(null, Describe(ex));
        }
    }

    private void Record(Delivery delivery, SendResult result)
    {
        var now = time.GetUtcNow();
        delivery.Attempts++;
        delivery.LastStatus = result.Status;
        delivery.LastError = result.Error;
        if (result.Delivered)
        {
            delivery.State = DeliveryState.Delivered;
            delivery.DeliveredAt = now;
            LogDelivered(logger, delivery.Id, delivery.Channel, delivery.Attempts);
        }
        else if (result.Gone || delivery.Attempts >= options.Value.MaxAttempts)
        {
            delivery.State = DeliveryState.Dead;
            LogDead(logger, delivery.Id, delivery.Channel, delivery.Attempts, result.Error);
        }
        else
        {
            delivery.NextAttemptAt = now + Backoff(options.Value.RetryBase, delivery.Attempts);
            LogRetry(logger, delivery.Id, delivery.Channel, delivery.Attempts, result.Error);
        }
    }

    /// <summary>The base (30 s by default) after the first failure, doubling after each further one, capped at one hour.</summary>
    internal static TimeSpan Backoff(TimeSpan retryBase, int attempts)
    {
        var delay = retryBase.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return delay >= MaxBackoff.TotalSeconds ? MaxBackoff : TimeSpan.FromSeconds(delay);
    }

    private static string Describe(Exception ex) => ex switch
    {
        TargetRefusedException => "Refused: the target address is not public.",
        HttpRequestException { InnerException: TargetRefusedException } => "Refused: the target address is not public.",
        HttpRequestException http => $"Connection failed ({http.HttpRequestError}).",
        _ => ex.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} ({Channel}) delivered on attempt {Attempts}")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, NotificationChannel channel, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Channel}) attempt {Attempts} failed: {Error}; will retry")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, NotificationChannel channel, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Channel}) dead after {Attempts} attempts: {Error}")]
    private static partial void LogDead(ILogger logger, Guid deliveryId, NotificationChannel channel, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery batch failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
