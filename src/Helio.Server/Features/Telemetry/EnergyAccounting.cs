namespace Helio.Server.Features.Telemetry;

/// <summary>One reading of one device's energy counters and power; any of them may be missing.</summary>
internal readonly record struct CounterSample(long AtMs, double? EnergyTodayKwh, double? EnergyTotalKwh, double? ActivePowerW);

/// <summary>
/// What a device can plausibly produce: <paramref name="MaxPowerW"/> is the most it could deliver (its plant's
/// capacity); power is integrated only across gaps up to <see cref="MaxIntegrationGap"/>.
/// </summary>
internal readonly record struct EnergyLimits(double MaxPowerW)
{
    public TimeSpan MaxIntegrationGap { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The energy a device produced in each interval between its readings, from its counters.
/// </summary>
/// <remarks>
/// <para>Sample i is credited with the energy of the interval ending at it, measured from its baseline: sample i−1,
/// or sample i−2 when i−1 is skipped. The day counter is used when sample i and its baseline have it, else the
/// total counter, else active power of samples i−1 and i integrated by trapezoids (negative power as 0, power above
/// the plausible maximum clipped, nothing across a gap longer than <see cref="EnergyLimits.MaxIntegrationGap"/>).</para>
/// <para>A counter increase d over dt hours is plausible when d ≤ MaxPowerW/1000 · dt · 1.1 + slack, the slack being
/// the counter's resolution: 0.1 kWh for the day counter, 1 kWh for the total counter (KTL-X counts whole kWh).
/// A plausible increase is credited whole, also across a gap of hours.</para>
/// <para>A step from the baseline to sample i is one of:
/// <list type="bullet">
/// <item>Plausible increase: credited.</item>
/// <item>Implausible increase (a jump): 0, and sample i becomes the baseline, so a jump that persists loses one
/// interval's energy rather than inventing energy.</item>
/// <item>Reset of the day counter (a decrease where the plant-local dates differ, or the gap is at least an hour, or
/// the next sample confirms it: at or above sample i's value, plausibly close to it and still below the old value —
/// the inverter's own midnight may be minutes or hours off the plant's): sample i's value, the energy since the
/// reset, if that is plausible since the previous sample, else 0. A confirmed decrease of the total counter (a
/// replaced or reset counter) is worth 0. Either way sample i becomes the baseline.</item>
/// <item>Any other decrease: a glitch.</item>
/// </list></para>
/// <para>Sample i is skipped — worth 0 and never a baseline, its interval measured by the next sample — when it is
/// a glitch: its step from sample i−1 is an unconfirmed decrease, or samples i−1 and i+1 agree with each other (a
/// plausible increase) while sample i is out of line with either (a spike, a drop to 0 and back). It is skipped too
/// when it lacks a counter both its neighbours have, so that one missing day-counter value does not switch the
/// interval to the coarser total counter and back.</para>
/// <para>The first sample of a device's series is credited its day counter if that is plausible since local
/// midnight (monitoring or a replacement inverter starting mid-day); otherwise it and the first sample of any other
/// window get 0. An inverter replaced mid-day is a new device: each is accounted on its own and the plant sums them.</para>
/// <para><b>Locality</b>: the result for sample i depends only on samples i−2 to i+1. The rollup worker may therefore
/// attribute a window of two samples before a bucket, the bucket's samples and one after, and use the results of the
/// bucket's samples: they equal those of the whole series. The result of the series' last sample can change when
/// its successor arrives (a decrease may yet be confirmed).</para>
/// </remarks>
internal static class EnergyAccounting
{
    private const double PlausibilityFactor = 1.1;
    private const double DayCounterSlackKwh = 0.1;
    private const double TotalCounterSlackKwh = 1.0;
    private const double MsPerHour = 3_600_000;
    private const long ResetGapMs = 3_600_000;

    /// <summary>
    /// Writes to <paramref name="energyKwh"/>[i] the energy of the interval ending at <paramref name="samples"/>[i].
    /// Samples are one device's, in strictly increasing time; <paramref name="seriesStart"/> says the window begins
    /// with the device's first sample ever.
    /// </summary>
    public static void Attribute(ReadOnlySpan<CounterSample> samples, Span<double> energyKwh, in EnergyLimits limits, TimeZoneInfo zone, bool seriesStart)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (energyKwh.Length != samples.Length)
        {
            throw new ArgumentException("One result per sample.", nameof(energyKwh));
        }
        if (!(limits.MaxPowerW > 0) || double.IsInfinity(limits.MaxPowerW))
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxPowerW, "The maximum power must be positive.");
        }
        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i].AtMs <= samples[i - 1].AtMs)
            {
                throw new ArgumentException("Samples must be in strictly increasing time.", nameof(samples));
            }
        }

        var window = new Window(samples, limits, zone);
        for (var i = 0; i < samples.Length; i++)
        {
            energyKwh[i] = window.EnergyOf(i, seriesStart);
        }
    }

    private enum Counter { Day, Total }

    private enum StepKind { Increase, Jump, Reset, Glitch }

    private readonly ref struct Window(ReadOnlySpan<CounterSample> samples, EnergyLimits limits, TimeZoneInfo zone)
    {
        // Members cannot capture a span parameter of a primary constructor; the other two are captured.
        private readonly ReadOnlySpan<CounterSample> samples = samples;

        public double EnergyOf(int i, bool seriesStart)
        {
            if (i == 0)
            {
                return seriesStart ? FirstSampleEnergy(samples[0]) : 0;
            }
            if (TryCounter(Counter.Day, i, out var energy) || TryCounter(Counter.Total, i, out energy))
            {
                return energy;
            }
            return Integrate(samples[i - 1], samples[i]);
        }

        /// <summary>The energy of sample i by <paramref name="counter"/>, or false when that counter cannot account for it.</summary>
        private bool TryCounter(Counter counter, int i, out double energyKwh)
        {
            energyKwh = 0;
            if (!Has(counter, i))
            {
                // Skipped like a glitch, so that the next sample measures across it with the same counter instead
                // of switching to a coarser one and back.
                return Has(counter, i - 1) && Has(counter, i + 1);
            }
            if (IsGlitch(counter, i))
            {
                return true;
            }
            int baseline;
            if (Has(counter, i - 1) && !IsGlitch(counter, i - 1))
            {
                baseline = i - 1;
            }
            else if (Has(counter, i - 2))
            {
                baseline = i - 2;
            }
            else
            {
                return false;
            }
            var (kind, energy) = Step(counter, baseline, i);
            energyKwh = kind == StepKind.Glitch ? 0 : energy;
            return true;
        }

        private double FirstSampleEnergy(in CounterSample sample)
        {
            if (Value(Counter.Day, sample) is not { } today)
            {
                return 0;
            }
            var (midnight, _) = LocalPeriods.DayRange(LocalPeriods.LocalDate(sample.AtMs, zone), zone);
            return today <= Plausible(Counter.Day, sample.AtMs - midnight) ? today : 0;
        }

        private bool Has(Counter counter, int j) => j >= 0 && j < samples.Length && Value(counter, samples[j]).HasValue;

        /// <summary>Whether sample j is out of line (see the class remarks); needs only samples j−1 to j+1.</summary>
        private bool IsGlitch(Counter counter, int j)
        {
            if (!Has(counter, j - 1) || !Has(counter, j))
            {
                return false;
            }
            var (kind, _) = Step(counter, j - 1, j);
            if (kind == StepKind.Glitch)
            {
                return true;
            }
            var neighboursAgree = Has(counter, j + 1) && IsPlausibleIncrease(counter, j - 1, j + 1);
            return neighboursAgree && (kind != StepKind.Increase || !IsPlausibleIncrease(counter, j, j + 1));
        }

        /// <summary>The step of the counter from sample <paramref name="from"/> to <paramref name="to"/>; sample to+1 may confirm a decrease.</summary>
        private (StepKind Kind, double EnergyKwh) Step(Counter counter, int from, int to)
        {
            var before = Value(counter, samples[from])!.Value;
            var after = Value(counter, samples[to])!.Value;
            var dtMs = samples[to].AtMs - samples[from].AtMs;
            var plausible = Plausible(counter, dtMs);
            if (after >= before)
            {
                return after - before <= plausible ? (StepKind.Increase, after - before) : (StepKind.Jump, 0);
            }
            var reset = counter == Counter.Day
                && (dtMs >= ResetGapMs || LocalPeriods.LocalDate(samples[from].AtMs, zone) != LocalPeriods.LocalDate(samples[to].AtMs, zone));
            if (reset || IsConfirmedDecrease(counter, before, to))
            {
                // A real reset shows only energy since the reset, which is within what is plausible since the
                // previous sample; more means the old or the new value was off, and crediting it would invent energy.
                return (StepKind.Reset, counter == Counter.Day && after <= plausible ? after : 0);
            }
            return (StepKind.Glitch, 0);
        }

        /// <summary>The decrease to sample <paramref name="to"/> persists: the next sample continues from the new value, below the old one.</summary>
        private bool IsConfirmedDecrease(Counter counter, double before, int to)
        {
            return Has(counter, to + 1) && Value(counter, samples[to + 1]) < before && IsPlausibleIncrease(counter, to, to + 1);
        }

        private bool IsPlausibleIncrease(Counter counter, int from, int to)
        {
            var increase = Value(counter, samples[to])!.Value - Value(counter, samples[from])!.Value;
            return increase >= 0 && increase <= Plausible(counter, samples[to].AtMs - samples[from].AtMs);
        }

        private double Plausible(Counter counter, long dtMs) =>
            limits.MaxPowerW / 1000 * (dtMs / MsPerHour) * PlausibilityFactor
            + (counter == Counter.Total ? TotalCounterSlackKwh : DayCounterSlackKwh);

        private double Integrate(in CounterSample from, in CounterSample to)
        {
            var dtMs = to.AtMs - from.AtMs;
            if (from.ActivePowerW is not { } p0 || to.ActivePowerW is not { } p1 || dtMs > limits.MaxIntegrationGap.TotalMilliseconds)
            {
                return 0;
            }
            return (Clip(p0) + Clip(p1)) / 2 / 1000 * (dtMs / MsPerHour);
        }

        // A power reading beyond what the plant can produce is a glitch; clipping it keeps integration within the
        // same plausibility bound the counters are held to.
        private double Clip(double powerW) =>
            double.IsFinite(powerW) ? Math.Clamp(powerW, 0, limits.MaxPowerW * PlausibilityFactor) : 0;

        // Non-finite or negative counter values are unreadable registers, not energy.
        private static double? Value(Counter counter, in CounterSample sample)
        {
            var value = counter == Counter.Day ? sample.EnergyTodayKwh : sample.EnergyTotalKwh;
            return value is { } v && double.IsFinite(v) && v >= 0 ? v : null;
        }
    }
}
