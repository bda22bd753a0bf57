using Helio.Protocols.Solar;

namespace Helio.Protocols.Tests;

public sealed class ClearSkyIrradiationTests
{
    private static double Day(double latitude, double longitude, int year, int month, int day)
    {
        // A UTC day is close enough to a solar day within a few hours of Greenwich: the sun is down at both ends.
        var start = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
        return ClearSkyIrradiation.KwhPerSquareMetre(latitude, longitude, start, start.AddDays(1));
    }

    [Fact]
    public void Munich_ClearSkyDay_IsAboutEightKwhInJune_AndAboutOneInDecember()
    {
        var june = Day(48.14, 11.58, 2026, 6, 21);
        var december = Day(48.14, 11.58, 2026, 12, 21);

        // Measured clear-sky days on horizontal ground there: about 8 kWh/m² at midsummer, 1 to 1.5 at midwinter.
        Assert.InRange(june, 7.0, 9.5);
        Assert.InRange(december, 0.7, 2.0);
        Assert.True(june > 4 * december);
    }

    [Theory]
    [InlineData(89.9, 12, 21)]
    [InlineData(-89.9, 6, 21)]
    public void Pole_InItsWinter_GetsNothing(double latitude, int month, int day) =>
        Assert.Equal(0, Day(latitude, 0, 2026, month, day));

    [Fact]
    public void FinerSteps_ChangeTheDayByLessThanAPercent()
    {
        var start = new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);
        var coarse = ClearSkyIrradiation.KwhPerSquareMetre(40, 0, start, start.AddDays(1));
        var fine = ClearSkyIrradiation.KwhPerSquareMetre(40, 0, start, start.AddDays(1), TimeSpan.FromSeconds(30));
        Assert.Equal(fine, coarse, fine * 0.01);
    }

    [Fact]
    public void AnIntervalOfTwoHalves_IsTheSumOfThem()
    {
        var start = new DateTimeOffset(2026, 6, 21, 0, 0, 0, TimeSpan.Zero);
        var noonish = start.AddHours(11).AddMinutes(7);
        var whole = ClearSkyIrradiation.KwhPerSquareMetre(48, 11, start, start.AddDays(1));
        var halves = ClearSkyIrradiation.KwhPerSquareMetre(48, 11, start, noonish) + ClearSkyIrradiation.KwhPerSquareMetre(48, 11, noonish, start.AddDays(1));
        Assert.Equal(whole, halves, 0.05);
    }
}
