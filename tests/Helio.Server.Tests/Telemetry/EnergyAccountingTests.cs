using Helio.Server.Features.Telemetry;

namespace Helio.Server.Tests.Telemetry;

public sealed class EnergyAccountingTests
{
    private const long Minute = 60_000;
    private const long Hour = 3_600_000;
    private const long Step = 5 * Minute;
    private const double Exact = 1e-9;
    /// <summary>The day counter's resolution: what a sum of its differences may miss against the true energy.</summary>
    private const double CounterRounding = 0.011;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly EnergyLimits Limits = new(MaxPowerW: 10_000);
    private static readonly DateOnly June15 = new(2026, 6, 15);

    /// <summary>An 8 kW inverter on a clear day (sunrise 05:00, sunset 21:00 plant time) read every 5 minutes over whole local days.</summary>
    private sealed record Simulation(CounterSample[] Samples, double[] ProducedKwh);

    /// <param name="clockSkewMs">How far the inverter's clock is ahead of plant time: it resets its day counter at its own midnight.</param>
    /// <param name="totalResolutionKwh">The total counter's resolution (KTL-X counts whole kWh).</param>
    private static Simulation Simulate(DateOnly firstDay, int days, TimeZoneInfo zone, long clockSkewMs = 0, double totalResolutionKwh = 0.1)
    {
        var from = LocalPeriods.DayRange(firstDay, zone).StartMs;
        var to = LocalPeriods.DayRange(firstDay.AddDays(days - 1), zone).EndMs;
        var count = (int)((to - from) / Step);
        var samples = new CounterSample[count];
        var produced = new double[count];
        double energy = 0, atReset = 0, previousPower = 0;
        var inverterDate = DateOnly.MinValue;
        for (var k = 0; k < count; k++)
        {
            var at = from + k * Step;
            var power = SunW(at, zone);
            if (k > 0)
            {
                energy += (previousPower + power) / 2 / 1000 * Step / Hour;
            }
            var date = LocalPeriods.LocalDate(at + clockSkewMs, zone);
            if (date != inverterDate)
            {
                (inverterDate, atReset) = (date, energy);
            }
            var total = Math.Round((12_345.6 + energy) / totalResolutionKwh) * totalResolutionKwh;
            samples[k] = new CounterSample(at, Math.Round(energy - atReset, 2), total, Math.Round(power));
            produced[k] = energy;
            previousPower = power;
        }
        return new Simulation(samples, produced);
    }

    private static double SunW(long atMs, TimeZoneInfo zone)
    {
        var hour = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(atMs), zone).TimeOfDay.TotalHours;
        return hour is > 5 and < 21 ? 8_000 * Math.Sin(Math.PI * (hour - 5) / 16) : 0;
    }

    private static double[] Attribute(CounterSample[] samples, bool seriesStart = true, EnergyLimits? limits = null)
    {
        var energy = new double[samples.Length];
        EnergyAccounting.Attribute(samples, energy, limits ?? Limits, Berlin, seriesStart);
        return energy;
    }

    private static double SumOn(DateOnly date, CounterSample[] samples, double[] energy)
    {
        var (start, end) = LocalPeriods.DayRange(date, Berlin);
        var sum = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (samples[i].AtMs >= start && samples[i].AtMs < end)
            {
                sum += energy[i];
            }
        }
        return sum;
    }

    private static int IndexAt(CounterSample[] samples, DateOnly date, int hour, int minute = 0)
    {
        var at = LocalPeriods.DayRange(date, Berlin).StartMs + hour * Hour + minute * Minute;
        return Array.FindIndex(samples, s => s.AtMs == at);
    }

    private static CounterSample LastOn(DateOnly date, CounterSample[] samples) =>
        samples.Last(s => s.AtMs < LocalPeriods.DayRange(date, Berlin).EndMs);

    private static double ProducedOn(DateOnly date, Simulation simulation)
    {
        var (start, end) = LocalPeriods.DayRange(date, Berlin);
        var last = Array.FindLastIndex(simulation.Samples, s => s.AtMs < end);
        var beforeFirst = Array.FindLastIndex(simulation.Samples, s => s.AtMs < start);
        return simulation.ProducedKwh[last] - (beforeFirst < 0 ? 0 : simulation.ProducedKwh[beforeFirst]);
    }

    [Fact]
    public void NormalDayOfFiveMinuteSamples_SumsToTheDayCountersFinalValue()
    {
        var samples = Simulate(June15, 1, Berlin).Samples;

        var energy = Attribute(samples);

        Assert.Equal(288, samples.Length);
        Assert.True(LastOn(June15, samples).EnergyTodayKwh > 50);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void MidnightReset_WithReadingsThroughTheNight_CreditsEachDayItsOwnCounter()
    {
        var samples = Simulate(June15, 3, Berlin).Samples;
        var midnight = IndexAt(samples, June15.AddDays(1), 0);

        var energy = Attribute(samples);

        Assert.Equal(0.0, samples[midnight].EnergyTodayKwh);
        Assert.Equal(0, energy[midnight]);
        for (var day = June15; day < June15.AddDays(3); day = day.AddDays(1))
        {
            Assert.Equal(LastOn(day, samples).EnergyTodayKwh!.Value, SumOn(day, samples, energy), Exact);
        }
    }

    [Fact]
    public void InverterOffOvernight_FirstMorningSampleAfterA10HourGap_IsCreditedItsCounterSinceTheReset()
    {
        // Read only while the logger has power, 06:00 to 20:00; the counter resets unseen in the night.
        var all = Simulate(June15, 2, Berlin).Samples;
        var samples = all.Where(s => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(s.AtMs), Berlin).Hour is >= 6 and < 20
            || TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(s.AtMs), Berlin) is { Hour: 20, Minute: 0 }).ToArray();
        var morning = IndexAt(samples, June15.AddDays(1), 6);

        var energy = Attribute(samples);

        Assert.Equal(10 * Hour, samples[morning].AtMs - samples[morning - 1].AtMs);
        Assert.True(samples[morning].EnergyTodayKwh > 0.5);
        Assert.Equal(samples[morning].EnergyTodayKwh!.Value, energy[morning], Exact);
        Assert.Equal(LastOn(June15.AddDays(1), samples).EnergyTodayKwh!.Value, SumOn(June15.AddDays(1), samples, energy), Exact);
    }

    [Fact]
    public void InverterClock30MinutesBehind_ResetAt0030Local_IsNotCountedTwice()
    {
        var simulation = Simulate(June15, 3, Berlin, clockSkewMs: -30 * Minute);
        var samples = simulation.Samples;
        var reset = IndexAt(samples, June15.AddDays(1), 0, 30);

        var energy = Attribute(samples);

        Assert.Equal(0.0, samples[reset].EnergyTodayKwh);
        Assert.True(samples[reset - 1].EnergyTodayKwh > 50);
        Assert.Equal(0, energy[reset]);
        Assert.Equal(ProducedOn(June15.AddDays(1), simulation), SumOn(June15.AddDays(1), samples, energy), CounterRounding);
    }

    [Fact]
    public void InverterClockHoursOff_ResetDuringProduction_LosesOnlyTheIntervalBeforeTheReset()
    {
        // The inverter runs on UTC+8 while the plant is in Berlin: its midnight is at 18:00 local, in daylight.
        var simulation = Simulate(June15, 3, Berlin, clockSkewMs: 6 * Hour);
        var samples = simulation.Samples;
        var reset = IndexAt(samples, June15.AddDays(1), 18);

        var energy = Attribute(samples);

        Assert.Equal(0.0, samples[reset].EnergyTodayKwh);
        Assert.Equal(0, energy[reset]);
        var unseen = simulation.ProducedKwh[reset] - simulation.ProducedKwh[reset - 1];
        Assert.True(unseen is > 0 and < 0.5);
        Assert.Equal(ProducedOn(June15.AddDays(1), simulation) - unseen, SumOn(June15.AddDays(1), samples, energy), CounterRounding);
    }

    [Theory]
    [InlineData(999.0)]
    [InlineData(0.0)]
    public void SingleSampleGlitch_IsCreditedNothing_AndTheNextSampleMeasuresFromTheSampleBeforeIt(double glitch)
    {
        var samples = Simulate(June15, 1, Berlin).Samples;
        var noon = IndexAt(samples, June15, 12);
        samples[noon] = samples[noon] with { EnergyTodayKwh = glitch };

        var energy = Attribute(samples);

        Assert.Equal(0, energy[noon]);
        Assert.Equal(samples[noon + 1].EnergyTodayKwh!.Value - samples[noon - 1].EnergyTodayKwh!.Value, energy[noon + 1], Exact);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void SmallSpikeWithinPlausibility_IsStillAGlitch_WhenItsNeighboursAgree()
    {
        // Early morning, when 0.9 kWh in 5 minutes is plausible for the plant but above what the next sample shows.
        var samples = Simulate(June15, 1, Berlin).Samples;
        var morning = IndexAt(samples, June15, 7);
        samples[morning] = samples[morning] with { EnergyTodayKwh = samples[morning - 1].EnergyTodayKwh + 0.9 };

        var energy = Attribute(samples);

        Assert.True(samples[morning].EnergyTodayKwh > samples[morning + 1].EnergyTodayKwh);
        Assert.Equal(0, energy[morning]);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void PersistentImplausibleJump_LosesThatIntervalAndContinuesFromTheNewValue()
    {
        var samples = Simulate(June15, 1, Berlin).Samples;
        var noon = IndexAt(samples, June15, 12);
        var lost = samples[noon].EnergyTodayKwh!.Value - samples[noon - 1].EnergyTodayKwh!.Value;
        for (var i = noon; i < samples.Length; i++)
        {
            samples[i] = samples[i] with { EnergyTodayKwh = samples[i].EnergyTodayKwh + 500 };
        }

        var energy = Attribute(samples);

        Assert.Equal(0, energy[noon]);
        Assert.Equal(samples[noon + 1].EnergyTodayKwh!.Value - samples[noon].EnergyTodayKwh!.Value, energy[noon + 1], Exact);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value - 500 - lost, energy.Sum(), Exact);
    }

    [Fact]
    public void TwoHourMiddayGap_IsCreditedToTheFirstSampleAfterIt()
    {
        var all = Simulate(June15, 1, Berlin).Samples;
        var (eleven, one) = (IndexAt(all, June15, 11), IndexAt(all, June15, 13));
        var samples = all[..(eleven + 1)].Concat(all[one..]).ToArray();

        var energy = Attribute(samples);

        Assert.Equal(all[one].EnergyTodayKwh!.Value - all[eleven].EnergyTodayKwh!.Value, energy[eleven + 1], Exact);
        Assert.True(energy[eleven + 1] > 10);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void DayCounterDrop_ThatTheNextSampleDoesNotConfirm_IsAGlitchNotAReset()
    {
        var samples = Simulate(June15, 1, Berlin).Samples;
        var noon = IndexAt(samples, June15, 12);
        samples[noon] = samples[noon] with { EnergyTodayKwh = samples[noon - 1].EnergyTodayKwh - 5 };

        var energy = Attribute(samples);

        Assert.Equal(0, energy[noon]);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void ResetToMoreThanCouldBeProducedSinceThePreviousSample_IsANewBaselineWorthNothing()
    {
        // After its midnight reset the day counter shows an offset it did not have: not energy since the reset.
        var samples = Simulate(June15, 2, Berlin).Samples;
        var midnight = IndexAt(samples, June15.AddDays(1), 0);
        for (var i = midnight; i < samples.Length; i++)
        {
            samples[i] = samples[i] with { EnergyTodayKwh = samples[i].EnergyTodayKwh + 50 };
        }

        var energy = Attribute(samples);

        Assert.True(samples[midnight].EnergyTodayKwh < samples[midnight - 1].EnergyTodayKwh);
        Assert.Equal(0, energy[midnight]);
        Assert.Equal(LastOn(June15.AddDays(1), samples).EnergyTodayKwh!.Value - 50, SumOn(June15.AddDays(1), samples, energy), Exact);
    }

    [Fact]
    public void ReadingWithoutTheDayCounter_IsMeasuredAcrossWithTheDayCounter_NotTheCoarseTotal()
    {
        var samples = Simulate(June15, 1, Berlin, totalResolutionKwh: 1).Samples;
        var noon = IndexAt(samples, June15, 12);
        samples[noon] = samples[noon] with { EnergyTodayKwh = null };

        var energy = Attribute(samples);

        Assert.Equal(0, energy[noon]);
        Assert.Equal(samples[noon + 1].EnergyTodayKwh!.Value - samples[noon - 1].EnergyTodayKwh!.Value, energy[noon + 1], Exact);
        Assert.Equal(LastOn(June15, samples).EnergyTodayKwh!.Value, energy.Sum(), Exact);
    }

    [Fact]
    public void TotalCounterOnlyDevice_IsCreditedTheTotalCounterDifferences_AndADropIsAGlitch()
    {
        // KTL-X: no day counter, a total counter in whole kWh.
        var samples = Simulate(June15, 2, Berlin, totalResolutionKwh: 1).Samples.Select(s => s with { EnergyTodayKwh = null }).ToArray();
        var noon = IndexAt(samples, June15.AddDays(1), 12);
        samples[noon] = samples[noon] with { EnergyTotalKwh = 0 };

        var energy = Attribute(samples);

        var dayStart = Array.FindIndex(samples, s => s.AtMs >= LocalPeriods.DayRange(June15.AddDays(1), Berlin).StartMs);
        var expected = LastOn(June15.AddDays(1), samples).EnergyTotalKwh!.Value - samples[dayStart - 1].EnergyTotalKwh!.Value;
        Assert.Equal(0, energy[noon]);
        Assert.True(expected > 50);
        Assert.Equal(expected, SumOn(June15.AddDays(1), samples, energy), Exact);
        Assert.Equal(0, energy[0]);
    }

    [Fact]
    public void PowerOnlyDevice_IsIntegratedTrapezoidally_NegativePowerAsZero_AndNotAcrossALongGap()
    {
        var t0 = LocalPeriods.DayRange(June15, Berlin).StartMs + 12 * Hour;
        CounterSample[] samples =
        [
            new(t0, null, null, 1_000),
            new(t0 + 5 * Minute, null, null, 2_000),
            new(t0 + 10 * Minute, null, null, -50),
            new(t0 + 30 * Minute, null, null, 3_000),
            new(t0 + 45 * Minute, null, null, 3_000),
        ];

        var energy = Attribute(samples);

        Assert.Equal(new[] { 0, 1.5 / 12, 1.0 / 12, 0, 0.75 }, energy, (a, b) => Math.Abs(a - b) < Exact);
    }

    [Fact]
    public void PowerOnlyDay_IntegratesToWithinAPercentOfTheEnergy()
    {
        var simulation = Simulate(June15, 1, Berlin);
        var samples = simulation.Samples.Select(s => s with { EnergyTodayKwh = null, EnergyTotalKwh = null }).ToArray();

        var energy = Attribute(samples);

        Assert.Equal(simulation.ProducedKwh[^1], energy.Sum(), simulation.ProducedKwh[^1] * 0.01);
    }

    [Fact]
    public void FirstSampleOfADevice_MidDay_IsCreditedItsDayCounterOnlyWhenPlausibleSinceMidnight()
    {
        var all = Simulate(June15, 1, Berlin).Samples;
        var noon = IndexAt(all, June15, 12);
        var fromNoon = all[noon..];
        var nightFirst = new[] { all[12] with { EnergyTodayKwh = 40 }, all[13] with { EnergyTodayKwh = 40 } };

        Assert.Equal(all[noon].EnergyTodayKwh!.Value, Attribute(fromNoon)[0], Exact);
        Assert.Equal(LastOn(June15, all).EnergyTodayKwh!.Value, Attribute(fromNoon).Sum(), Exact);
        Assert.Equal(0, Attribute(fromNoon, seriesStart: false)[0]);
        Assert.Equal(0, Attribute(nightFirst)[0]);
    }

    [Fact]
    public void InverterReplacedMidDay_TheTwoDevicesSumToTheDaysEnergy()
    {
        var simulation = Simulate(June15, 1, Berlin);
        var swap = IndexAt(simulation.Samples, June15, 12, 30);
        var old = simulation.Samples[..swap];
        // The new inverter counts from its installation just after the old one's last reading.
        var atInstall = simulation.ProducedKwh[swap - 1];
        var replacement = simulation.Samples[swap..]
            .Select((s, i) => s with { EnergyTodayKwh = Math.Round(simulation.ProducedKwh[swap + i] - atInstall, 2), EnergyTotalKwh = Math.Round(simulation.ProducedKwh[swap + i] - atInstall, 1) })
            .ToArray();

        var plant = Attribute(old).Sum() + Attribute(replacement).Sum();

        Assert.True(replacement[0].EnergyTodayKwh > 0);
        Assert.Equal(ProducedOn(June15, simulation), plant, CounterRounding);
    }

    [Theory]
    [InlineData(2026, 3, 29, 276)]
    [InlineData(2026, 10, 25, 300)]
    public void BerlinDstDay_OfFiveMinuteSamples_SumsToTheDayCounter(int year, int month, int day, int samplesInDay)
    {
        var date = new DateOnly(year, month, day);
        var samples = Simulate(date.AddDays(-1), 3, Berlin).Samples;
        var (start, end) = LocalPeriods.DayRange(date, Berlin);

        var energy = Attribute(samples);

        Assert.Equal(samplesInDay, samples.Count(s => s.AtMs >= start && s.AtMs < end));
        Assert.Equal(LastOn(date, samples).EnergyTodayKwh!.Value, SumOn(date, samples, energy), Exact);
    }

    [Fact]
    public void InvalidInput_IsRefused()
    {
        var samples = Simulate(June15, 1, Berlin).Samples[..3];

        Assert.Throws<ArgumentException>(() => EnergyAccounting.Attribute(samples, new double[2], Limits, Berlin, seriesStart: true));
        Assert.Throws<ArgumentException>(() => EnergyAccounting.Attribute([samples[1], samples[0]], new double[2], Limits, Berlin, seriesStart: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnergyAccounting.Attribute(samples, new double[3], new EnergyLimits(0), Berlin, seriesStart: true));
    }

    [Fact]
    public void WindowOfTwoBeforeAndOneAfter_GivesEachSampleTheSameEnergyAsTheWholeSeries()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var samples = RealisticMess(new Random(seed));
            var whole = Attribute(samples);
            var windowed = new double[4];
            for (var i = 0; i < samples.Length; i++)
            {
                var from = Math.Max(0, i - 2);
                var window = samples.AsSpan(from, Math.Min(samples.Length, i + 2) - from);
                EnergyAccounting.Attribute(window, windowed.AsSpan(0, window.Length), Limits, Berlin, seriesStart: from == 0);
                Assert.True(whole[i] == windowed[i - from], $"seed {seed}, sample {i}: whole series {whole[i]}, window {windowed[i - from]}");
                Assert.True(whole[i] >= 0 && double.IsFinite(whole[i]), $"seed {seed}, sample {i}: {whole[i]}");
            }
        }
    }

    /// <summary>Two days of an inverter with a skewed clock, read with gaps, jitter, glitches, jumps and missing values.</summary>
    private static CounterSample[] RealisticMess(Random random)
    {
        long[] skews = [0, -30 * Minute, 30 * Minute, 6 * Hour];
        var clean = Simulate(June15, 2, Berlin, clockSkewMs: skews[random.Next(skews.Length)], totalResolutionKwh: random.Next(2) == 0 ? 0.1 : 1).Samples;
        var samples = new List<CounterSample>();
        double jump = 0;
        for (var k = 0; k < clean.Length; k++)
        {
            var roll = random.NextDouble();
            if (roll < 0.03)
            {
                k += random.Next(30);
                continue;
            }
            var s = clean[k] with { AtMs = clean[k].AtMs + random.Next(-20_000, 20_000) };
            if (roll < 0.035)
            {
                jump += 300;
            }
            s = s with { EnergyTodayKwh = s.EnergyTodayKwh + jump };
            s = random.NextDouble() switch
            {
                < 0.02 => s with { EnergyTodayKwh = 999 },
                < 0.04 => s with { EnergyTodayKwh = 0 },
                < 0.05 => s with { EnergyTotalKwh = 0 },
                < 0.07 => s with { EnergyTodayKwh = null },
                < 0.08 => s with { EnergyTodayKwh = null, EnergyTotalKwh = null },
                < 0.09 => s with { ActivePowerW = -20 },
                _ => s,
            };
            samples.Add(s);
        }
        return [.. samples];
    }
}
