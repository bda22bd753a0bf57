namespace Helio.Server.Features.Notifications;

/// <summary>Wakes the delivery worker on this node right after deliveries are queued, instead of at its next poll.</summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim semaphore = new(0, 1);

    public void Pulse()
    {
        try
        {
            if (semaphore.CurrentCount == 0)
            {
                semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed: one wake-up is enough.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => semaphore.WaitAsync(timeout, cancellationToken);
}
