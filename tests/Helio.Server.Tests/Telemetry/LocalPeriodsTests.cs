using Helio.Server.Features.Telemetry;

namespace Helio.Server.Tests.Telemetry;

public sealed class LocalPeriodsTests
{
    private const long Hour = 3_600_000;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static long Ms(string isoUtc) => DateTimeOffset.Parse(isoUtc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static List<long> HoursOf(DateOnly date, TimeZoneInfo zone)
    {
        var (first, last) = LocalPeriods.ChildRange(RollupLevel.Day, LocalPeriods.DayKey(date), zone);
        var hours = new List<long>();
        for (var hour = first; hour <= last; hour = LocalPeriods.HourEnd(hour, zone))
        {
            hours.Add(hour);
        }
        return hours;
    }

    [Fact]
    public void FiveMinuteBucket_IsTheUtcFiveMinuteStart()
    {
        Assert.Equal(Ms("2026-06-01T10:05:00Z"), LocalPeriods.FiveMinuteBucket(Ms("2026-06-01T10:09:59.999Z")));
        Assert.Equal(Ms("2026-06-01T10:10:00Z"), LocalPeriods.FiveMinuteBucket(Ms("2026-06-01T10:10:00Z")));
        Assert.Equal(-300_000, LocalPeriods.FiveMinuteBucket(-1));
    }

    [Fact]
    public void Utc_DayHas24HoursAtUtcHourStarts()
    {
        var date = new DateOnly(2026, 11, 30);

        Assert.Equal((Ms("2026-11-30T00:00:00Z"), Ms("2026-12-01T00:00:00Z")), LocalPeriods.DayRange(date, TimeZoneInfo.Utc));
        var hours = HoursOf(date, TimeZoneInfo.Utc);
        Assert.Equal(24, hours.Count);
        Assert.All(hours, h => Assert.Equal(0, h % Hour));
        Assert.Equal(Ms("2026-11-30T13:00:00Z"), LocalPeriods.HourKey(Ms("2026-11-30T13:59:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Berlin_SpringForwardDay_Has23HoursAndNoLocal2OClock()
    {
        var date = new DateOnly(2026, 3, 29);

        var (start, end) = LocalPeriods.DayRange(date, Berlin);

        Assert.Equal(Ms("2026-03-28T23:00:00Z"), start);
        Assert.Equal(23 * Hour, end - start);
        var hours = HoursOf(date, Berlin);
        Assert.Equal(23, hours.Count);
        Assert.DoesNotContain(hours, h => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(h), Berlin).Hour == 2);
        Assert.Equal(Ms("2026-03-29T01:00:00Z"), LocalPeriods.HourKey(Ms("2026-03-29T01:00:00Z"), Berlin));
    }

    [Fact]
    public void Berlin_FallBackDay_Has25Hours_AndTheRepeated2OClockHourHasTwoKeys()
    {
        var date = new DateOnly(2026, 10, 25);

        var (start, end) = LocalPeriods.DayRange(date, Berlin);
        var firstTwoThirty = LocalPeriods.HourKey(Ms("2026-10-25T00:30:00Z"), Berlin);
        var secondTwoThirty = LocalPeriods.HourKey(Ms("2026-10-25T01:30:00Z"), Berlin);

        Assert.Equal(Ms("2026-10-24T22:00:00Z"), start);
        Assert.Equal(25 * Hour, end - start);
        Assert.Equal(25, HoursOf(date, Berlin).Count);
        Assert.Equal(Ms("2026-10-25T00:00:00Z"), firstTwoThirty);
        Assert.Equal(Ms("2026-10-25T01:00:00Z"), secondTwoThirty);
        Assert.Equal(LocalPeriods.DayKey(date), LocalPeriods.ParentKey(RollupLevel.Hour, firstTwoThirty, Berlin));
        Assert.Equal(LocalPeriods.DayKey(date), LocalPeriods.ParentKey(RollupLevel.Hour, secondTwoThirty, Berlin));
    }

    [Theory]
    [InlineData("Asia/Kolkata", "2026-05-10T07:29:00Z", "2026-05-10T06:30:00Z")]
    [InlineData("Asia/Kathmandu", "2026-05-10T07:14:00Z", "2026-05-10T06:15:00Z")]
    [InlineData("Asia/Kathmandu", "2026-05-10T07:15:00Z", "2026-05-10T07:15:00Z")]
    public void HourKey_InAFractionalOffsetZone_IsTheLocalHourStart(string zone, string at, string expected)
    {
        Assert.Equal(Ms(expected), LocalPeriods.HourKey(Ms(at), Zone(zone)));
    }

    [Fact]
    public void Kolkata_DayStartsAtLocalMidnightAndHoursAreOnTheHalfHourUtc()
    {
        var kolkata = Zone("Asia/Kolkata");
        var date = new DateOnly(2026, 5, 10);

        Assert.Equal((Ms("2026-05-09T18:30:00Z"), Ms("2026-05-10T18:30:00Z")), LocalPeriods.DayRange(date, kolkata));
        Assert.All(HoursOf(date, kolkata), h => Assert.Equal(Hour / 2, h % Hour));
        Assert.Equal(date, LocalPeriods.LocalDate(Ms("2026-05-09T18:30:00Z"), kolkata));
        Assert.Equal(date.AddDays(-1), LocalPeriods.LocalDate(Ms("2026-05-09T18:29:59.999Z"), kolkata));
    }

    [Fact]
    public void LordHowe_HalfHourShifts_MakeDaysOf23AndAHalfAnd24AndAHalfHours()
    {
        var lordHowe = Zone("Australia/Lord_Howe");
        var forward = new DateOnly(2026, 10, 4);
        var back = new DateOnly(2026, 4, 5);

        var (forwardStart, forwardEnd) = LocalPeriods.DayRange(forward, lordHowe);
        var (backStart, backEnd) = LocalPeriods.DayRange(back, lordHowe);

        Assert.Equal(23 * Hour + Hour / 2, forwardEnd - forwardStart);
        Assert.Equal(24 * Hour + Hour / 2, backEnd - backStart);
        // 02:00-02:30 is skipped: the 02:xx hour is half an hour, from the transition.
        Assert.Equal(24, HoursOf(forward, lordHowe).Count);
        // 01:30-02:00 repeats: it is an hour of its own after the full first 01:xx.
        Assert.Equal(25, HoursOf(back, lordHowe).Count);
    }

    [Theory]
    [InlineData("America/Santiago", 2026, 9, 6, "2026-09-06T04:00:00Z", 23)]
    [InlineData("Asia/Beirut", 2026, 3, 29, "2026-03-28T22:00:00Z", 23)]
    public void SkippedMidnight_DayStartsAtTheFirstValidInstant(string zone, int year, int month, int day, string expectedStart, int hours)
    {
        var tz = Zone(zone);
        var date = new DateOnly(year, month, day);

        var (start, end) = LocalPeriods.DayRange(date, tz);

        Assert.Equal(Ms(expectedStart), start);
        Assert.Equal(hours * Hour, end - start);
        Assert.Equal(start, LocalPeriods.DayRange(date.AddDays(-1), tz).EndMs);
        Assert.Equal(date, LocalPeriods.LocalDate(start, tz));
        Assert.Equal(date.AddDays(-1), LocalPeriods.LocalDate(start - 1, tz));
        Assert.Equal(hours, HoursOf(date, tz).Count);
    }

    [Fact]
    public void Santiago_FallBackAtMidnight_RepeatsTheLastHourOfThePreviousDay()
    {
        var santiago = Zone("America/Santiago");
        var saturday = new DateOnly(2026, 4, 4);

        var (start, end) = LocalPeriods.DayRange(saturday, santiago);

        Assert.Equal(Ms("2026-04-04T03:00:00Z"), start);
        Assert.Equal(Ms("2026-04-05T04:00:00Z"), end);
        Assert.Equal(25, HoursOf(saturday, santiago).Count);
    }

    [Fact]
    public void DayMonthAndYearKeys_AreTheDecimalDate()
    {
        Assert.Equal(20261130, LocalPeriods.DayKey(new DateOnly(2026, 11, 30)));
        Assert.Equal(new DateOnly(2026, 11, 30), LocalPeriods.DayOf(20261130));
        Assert.Equal(202611, LocalPeriods.MonthKey(2026, 11));
        Assert.Equal(2026, LocalPeriods.YearKey(2026));
        Assert.Equal(202611, LocalPeriods.ParentKey(RollupLevel.Day, 20261130, Berlin));
        Assert.Equal(2026, LocalPeriods.ParentKey(RollupLevel.Month, 202611, Berlin));
        Assert.Equal((20260201L, 20260228L), LocalPeriods.ChildRange(RollupLevel.Month, 202602, Berlin));
        Assert.Equal((20280201L, 20280229L), LocalPeriods.ChildRange(RollupLevel.Month, 202802, Berlin));
        Assert.Equal((202601L, 202612L), LocalPeriods.ChildRange(RollupLevel.Year, 2026, Berlin));
    }

    [Fact]
    public void LevelsWithoutParentOrChildren_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalPeriods.ParentKey(RollupLevel.Year, 2026, Berlin));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalPeriods.ChildRange(RollupLevel.FiveMinutes, 0, Berlin));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Berlin")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("America/Santiago")]
    public void EveryPeriodOfAYear_TilesItsParent_AndItsChildrenPointBack(string zoneId)
    {
        var zone = Zone(zoneId);
        var (firstMonth, lastMonth) = LocalPeriods.ChildRange(RollupLevel.Year, 2026, zone);
        Assert.Equal(12, lastMonth - firstMonth + 1);
        for (var month = firstMonth; month <= lastMonth; month++)
        {
            Assert.Equal(2026, LocalPeriods.ParentKey(RollupLevel.Month, month, zone));
            var (firstDay, lastDay) = LocalPeriods.ChildRange(RollupLevel.Month, month, zone);
            for (var day = firstDay; day <= lastDay; day++)
            {
                Assert.Equal(month, LocalPeriods.ParentKey(RollupLevel.Day, day, zone));
                var (start, end) = LocalPeriods.DayRange(LocalPeriods.DayOf(day), zone);
                var (firstHour, lastHour) = LocalPeriods.ChildRange(RollupLevel.Day, day, zone);
                Assert.Equal(start, firstHour);
                var hour = firstHour;
                while (hour <= lastHour)
                {
                    Assert.Equal(day, LocalPeriods.ParentKey(RollupLevel.Hour, hour, zone));
                    var (firstBucket, lastBucket) = LocalPeriods.ChildRange(RollupLevel.Hour, hour, zone);
                    Assert.Equal(hour, firstBucket);
                    for (var bucket = firstBucket; bucket <= lastBucket; bucket += LocalPeriods.FiveMinutesMs)
                    {
                        Assert.Equal(bucket, LocalPeriods.FiveMinuteBucket(bucket + 299_999));
                        Assert.Equal(hour, LocalPeriods.ParentKey(RollupLevel.FiveMinutes, bucket, zone));
                    }
                    hour = LocalPeriods.HourEnd(hour, zone);
                }
                Assert.Equal(end, hour);
            }
        }
    }
}
