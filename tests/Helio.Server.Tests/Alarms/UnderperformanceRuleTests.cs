using Helio.Server.Features.Alarms;

namespace Helio.Server.Tests.Alarms;

/// <summary>The pure parts of the underperformance check: expected yield, neighbours, the decision.</summary>
public sealed class UnderperformanceRuleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Now = new(2026, 6, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ExpectedYield_MunichTenKwp_IsAboutSixtyKwhInJune_AndAboutTenInDecember()
    {
        var june = ExpectedYield.ClearSkyKwh(48.14, 11.58, Berlin, 10, new DateOnly(2026, 6, 21));
        var december = ExpectedYield.ClearSkyKwh(48.14, 11.58, Berlin, 10, new DateOnly(2026, 12, 21));

        Assert.InRange(june, 55, 75);
        Assert.InRange(december, 6, 15);
    }

    [Fact]
    public void ExpectedYield_ALongAutumnDay_CountsItsTwentyFiveHours_AndNothingAtNight()
    {
        // 25 October 2026 has 25 hours in Berlin; the extra hour is at night and adds nothing.
        var longDay = ExpectedYield.ClearSkyKwh(48.14, 11.58, Berlin, 10, new DateOnly(2026, 10, 25));
        var dayAfter = ExpectedYield.ClearSkyKwh(48.14, 11.58, Berlin, 10, new DateOnly(2026, 10, 26));
        Assert.Equal(dayAfter, longDay, dayAfter * 0.03);
    }

    [Fact]
    public void ExpectedYield_NorthPoleInDecember_IsZero() =>
        Assert.Equal(0, ExpectedYield.ClearSkyKwh(89.9, 0, TimeZoneInfo.Utc, 10, new DateOnly(2026, 12, 21)));

    [Fact]
    public void Neighbourhood_FindsPlantsWithinTheRadius_AcrossTheAntimeridian_AndNotBeyond()
    {
        var near = new PlantPlace(Guid.NewGuid(), 48.2, 11.7);     // ~13 km from Munich
        var far = new PlantPlace(Guid.NewGuid(), 48.8, 11.6);      // ~73 km north
        var east = new PlantPlace(Guid.NewGuid(), 48.1, 12.2);     // ~45 km east
        var fiji = new PlantPlace(Guid.NewGuid(), -17.0, 179.9);
        var acrossTheLine = new PlantPlace(Guid.NewGuid(), -17.0, -179.9); // ~21 km away, other side of 180°
        var neighbourhood = new Neighbourhood([near, far, east, fiji, acrossTheLine]);

        Assert.Equal(new[] { near.Id, east.Id }.Order(), neighbourhood.Within(48.1, 11.6, 50).Select(p => p.Id).Order());
        Assert.Contains(acrossTheLine, neighbourhood.Within(fiji.Latitude, fiji.Longitude, 50));
        Assert.Equal(111.2, Neighbourhood.DistanceKm(0, 0, 1, 0), 0.1);
    }

    [Fact]
    public void Median_OfOddAndEvenCounts()
    {
        Assert.Equal(2, UnderperformanceRule.Median([3, 1, 2]));
        Assert.Equal(2.5, UnderperformanceRule.Median([4, 1, 2, 3]));
    }

    private static UnderperformanceDay Day(double energyKwh, IReadOnlyList<double> neighbours, int percent = 50) =>
        new(new DateOnly(2026, 6, 21), "Europe/Berlin", energyKwh, 17, 10, percent, false, neighbours, 50, 8.0);

    [Fact]
    public void WithTwoNeighbours_ComparesWithTheirMedian_AsAWarning()
    {
        var verdict = UnderperformanceRule.Judge(Day(12, [3.0, 3.2]), 0.4, Now);

        // Expected 3.1 kWh/kWp × 10 kWp = 31 kWh; 12 kWh is 39 %.
        Assert.Equal(UnderperformanceOutcome.Underperforming, verdict.Outcome);
        Assert.Equal(AlarmSeverity.Warning, verdict.Severity);
        Assert.Equal(UnderperformanceRule.NeighboursRule, verdict.Explanation.Rule);
        Assert.Equal("3.10 kWh/kWp", verdict.Explanation.Inputs["Neighbours' median specific yield"]);
        Assert.Equal("31.00 kWh (median × capacity)", verdict.Explanation.Inputs["Expected energy"]);
        Assert.Equal("energy < 50 % × expected energy = 15.50 kWh", verdict.Explanation.Thresholds["Comparison"]);
        Assert.Equal(UnderperformanceOutcome.Healthy, UnderperformanceRule.Judge(Day(16, [3.0, 3.2]), 0.4, Now).Outcome);
    }

    [Fact]
    public void WithOneNeighbour_ComparesWithAClearSky_AtTheLowerBar_AsInformation()
    {
        // Clear sky: 8 kWh/m² × 0.8 × 10 kWp = 64 kWh; the bar is 50 % × 0.4 = 20 %, 12.8 kWh.
        var flagged = UnderperformanceRule.Judge(Day(12, [3.0]), 0.4, Now);
        var cloudy = UnderperformanceRule.Judge(Day(14, [3.0]), 0.4, Now);

        Assert.Equal(UnderperformanceOutcome.Underperforming, flagged.Outcome);
        Assert.Equal(AlarmSeverity.Info, flagged.Severity);
        Assert.Equal(UnderperformanceRule.ClearSkyRule, flagged.Explanation.Rule);
        Assert.Contains("weather may be the cause", flagged.Explanation.Summary, StringComparison.Ordinal);
        Assert.Equal("64.00 kWh (irradiation × performance ratio × capacity)", flagged.Explanation.Inputs["Expected energy"]);
        Assert.Equal(UnderperformanceOutcome.Healthy, cloudy.Outcome);
    }

    [Fact]
    public void WhenNeighboursMadeAlmostNothing_TheDayIsNotJudged() =>
        Assert.Equal(UnderperformanceOutcome.NotJudged, UnderperformanceRule.Judge(Day(0, [0.1, 0.05, 0.12]), 0.4, Now).Outcome);
}
