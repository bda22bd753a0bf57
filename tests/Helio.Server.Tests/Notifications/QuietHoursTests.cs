using Helio.Server.Features.Notifications;

namespace Helio.Server.Tests.Notifications;

public sealed class QuietHoursTests
{
    private static DateTimeOffset Utc(int hour, int minute = 0) => new(2026, 3, 29, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void InsideADaytimeWindow_EndsTheSameDay_OutsideIsNull()
    {
        Assert.Equal(Utc(14), QuietHours.EndOf(new TimeOnly(12, 0), new TimeOnly(14, 0), "UTC", Utc(13)));
        Assert.Null(QuietHours.EndOf(new TimeOnly(12, 0), new TimeOnly(14, 0), "UTC", Utc(14)));
        Assert.Null(QuietHours.EndOf(new TimeOnly(12, 0), new TimeOnly(14, 0), "UTC", Utc(11, 59)));
    }

    [Fact]
    public void AnOvernightWindow_EndsTheNextMorning_OrThisMorning()
    {
        Assert.Equal(Utc(6).AddDays(1), QuietHours.EndOf(new TimeOnly(22, 0), new TimeOnly(6, 0), "UTC", Utc(23)));
        Assert.Equal(Utc(6), QuietHours.EndOf(new TimeOnly(22, 0), new TimeOnly(6, 0), "UTC", Utc(3)));
        Assert.Null(QuietHours.EndOf(new TimeOnly(22, 0), new TimeOnly(6, 0), "UTC", Utc(12)));
    }

    [Fact]
    public void WindowsAreInTheUsersZone_AndAnEndInTheSpringGapMovesPastIt()
    {
        // 29 March 2026: Berlin jumps from 02:00 to 03:00 (UTC+1 → UTC+2). 01:30 local is 00:30 UTC.
        var end = QuietHours.EndOf(new TimeOnly(23, 0), new TimeOnly(2, 30), "Europe/Berlin", Utc(0, 30));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), end);
        Assert.Equal(Utc(5), QuietHours.EndOf(new TimeOnly(22, 0), new TimeOnly(7, 0), "Europe/Berlin", Utc(3)));
    }

    [Fact]
    public void NoWindow_OrAnEmptyOne_IsNeverQuiet()
    {
        Assert.Null(QuietHours.EndOf(null, new TimeOnly(6, 0), "UTC", Utc(3)));
        Assert.Null(QuietHours.EndOf(new TimeOnly(6, 0), new TimeOnly(6, 0), "UTC", Utc(6)));
    }

    [Fact]
    public void ChosenDigest_GoesOnceADay_AtItsHour_OverflowAtMostHourly()
    {
        var daily = new NotificationSettings { DailyDigest = true, DigestHour = 7, TimeZone = "UTC" };
        Assert.False(DailyDigests.IsDue(daily, Utc(6)));
        Assert.True(DailyDigests.IsDue(daily, Utc(7, 5)));
        daily.LastDigestAt = Utc(7, 5);
        Assert.False(DailyDigests.IsDue(daily, Utc(20)));
        Assert.True(DailyDigests.IsDue(daily, Utc(7, 1).AddDays(1)));

        Assert.True(DailyDigests.IsDue(null, Utc(3)));
        var overflow = new NotificationSettings { LastDigestAt = Utc(3) };
        Assert.False(DailyDigests.IsDue(overflow, Utc(3, 59)));
        Assert.True(DailyDigests.IsDue(overflow, Utc(4)));
    }
}
