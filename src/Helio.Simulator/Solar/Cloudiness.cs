namespace Helio.Simulator.Solar;

/// <summary>
/// How much of the clear-sky light reaches a plant (0.25 … 1), changing smoothly over the day. Deterministic:
/// the same seed, plant and instant give the same value, so a simulated fleet can be replayed exactly.
/// </summary>
public static class Cloudiness
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(20);

    public static double Factor(ulong seed, int plant, DateTimeOffset instant)
    {
        var position = (double)instant.UtcTicks / Step.Ticks;
        var bucket = (long)Math.Floor(position);
        var t = position - bucket;
        var smooth = t * t * (3 - (2 * t));
        var a = Sample(seed, plant, bucket);
        var b = Sample(seed, plant, bucket + 1);
        return a + ((b - a) * smooth);
    }

    private static double Sample(ulong seed, int plant, long bucket)
    {
        // The day's character (sunny or overcast) times a variation within it.
        var day = Unit(Mix(seed, (ulong)plant, (ulong)(bucket / 72)));
        var moment = Unit(Mix(seed ^ 0x9E3779B97F4A7C15, (ulong)plant, (ulong)bucket));
        var clearness = 0.35 + (0.65 * day);
        return Math.Clamp(clearness * (0.75 + (0.25 * moment)), 0.25, 1);
    }

    private static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));

    /// <summary>SplitMix64 over the three inputs.</summary>
    private static ulong Mix(ulong a, ulong b, ulong c)
    {
        var z = a + (b * 0xBF58476D1CE4E5B9) + (c * 0x94D049BB133111EB) + 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
