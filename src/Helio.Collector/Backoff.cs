namespace Helio.Collector;

/// <summary>
/// Pauses between attempts that double from a first pause up to a limit, with ±20 % jitter so that collectors (or
/// sources) that failed together do not all retry in the same second. Reset after a success.
/// </summary>
internal sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private const int MaxDoublings = 30;
    private int failures;

    public TimeSpan Next()
    {
        var pause = first * Math.Pow(2, Math.Min(failures, MaxDoublings));
        failures++;
        var capped = pause < max ? pause : max;
        return capped * (0.8 + (0.4 * Random.Shared.NextDouble()));
    }

    public void Reset() => failures = 0;
}
