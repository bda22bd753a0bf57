namespace Helio.Simulator.Faults;

/// <summary>
/// Takes simulated loggers offline for a while, as a logger that loses its Wi-Fi or reboots: what is connected is
/// dropped when the outage begins, and nothing connects or answers until it ends. Durations are real time (not
/// compressed by --speed), like the delays of the other faults.
/// </summary>
public sealed class Outage(TimeProvider? time = null)
{
    /// <summary>The longest outage: a day, so that a typo cannot take a simulator away for good.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private CancellationTokenSource next = new();
    private DateTimeOffset onlineAt = DateTimeOffset.MinValue;

    /// <summary>Fires when the next outage begins: a connection ties its lifetime to it.</summary>
    public CancellationToken Begins
    {
        get
        {
            lock (gate)
            {
                return next.Token;
            }
        }
    }

    public bool IsOffline
    {
        get
        {
            lock (gate)
            {
                return time.GetUtcNow() < onlineAt;
            }
        }
    }

    /// <summary>Goes offline now for <paramref name="duration"/> (an outage under way is extended or shortened to it).</summary>
    public void Begin(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
        CancellationTokenSource begun;
        lock (gate)
        {
            onlineAt = time.GetUtcNow() + duration;
            begun = next;
            next = new CancellationTokenSource();
        }
        // Not disposed: connections may still be unregistering from its token; it holds no timer.
        begun.Cancel();
    }

    /// <summary>Completes when no outage is under way.</summary>
    public async Task WhenOnlineAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (gate)
        {
            wait = onlineAt - time.GetUtcNow();
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
