namespace Helio.Simulator;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than real time from <see cref="Start"/> (the simulator's
/// --speed), so that a simulated day can pass in minutes. Timers stay in real time.
/// </summary>
public sealed class CompressedTime(DateTimeOffset start, double speed, TimeProvider real) : TimeProvider
{
    private readonly long startTimestamp = real.GetTimestamp();

    public DateTimeOffset Start { get; } = start;

    public double Speed { get; } = speed;

    public override DateTimeOffset GetUtcNow() => Start + (real.GetElapsedTime(startTimestamp) * Speed);

    /// <summary>The simulated clock of a run: the system clock itself unless it starts elsewhere or runs faster.</summary>
    public static TimeProvider For(DateTimeOffset? start, double speed) =>
        start is null && speed == 1 ? System : new CompressedTime(start ?? System.GetUtcNow(), speed, System);
}
