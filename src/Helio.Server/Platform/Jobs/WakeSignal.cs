namespace Helio.Server.Platform.Jobs;

/// <summary>Wakes a background worker on this node right after it has work, instead of at its next poll; several
/// pulses before it wakes count as one. Each worker has its own subclass, so each is its own service.</summary>
public abstract class WakeSignal
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

    /// <summary>True when pulsed, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => semaphore.WaitAsync(timeout, cancellationToken);
}
