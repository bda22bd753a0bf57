using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// "Within one month of receipt" in calendar months (GDPR Art. 12(3), counted as Regulation 1182/71 counts months), in
/// UTC: the same date a month on, or that month's last day when it has no such date; extensions count from receipt too.
/// </summary>
public sealed class DueDatesTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2025, 1, 15, 2025, 2, 15)]
    [InlineData(2025, 1, 31, 2025, 2, 28)] // February has no 31st: its last day
    [InlineData(2024, 1, 31, 2024, 2, 29)] // a leap year's February
    [InlineData(2024, 1, 29, 2024, 2, 29)]
    [InlineData(2025, 1, 29, 2025, 2, 28)]
    [InlineData(2025, 3, 31, 2025, 4, 30)]
    [InlineData(2025, 2, 28, 2025, 3, 28)] // not the month's end: the same date, not March's last day
    [InlineData(2024, 2, 29, 2024, 3, 29)]
    [InlineData(2025, 12, 31, 2026, 1, 31)] // across the year
    public void OneMonth_IsTheSameDateNextMonth_OrItsLastDay(int year, int month, int day, int dueYear, int dueMonth, int dueDay)
    {
        var received = Utc(year, month, day);

        Assert.Equal(new DateOnly(dueYear, dueMonth, dueDay), DueDates.DueDate(received, 1));
        // The period ends with the last hour of that day: the answer may come until midnight UTC after it.
        Assert.Equal(new DateTimeOffset(dueYear, dueMonth, dueDay, 0, 0, 0, TimeSpan.Zero).AddDays(1), DueDates.DueAt(received, 1));
        Assert.Equal(new DateOnly(dueYear, dueMonth, dueDay), DueDates.DateOf(DueDates.DueAt(received, 1)));
    }

    [Fact]
    public void Extensions_CountFromReceipt_NotFromTheShortenedDate()
    {
        var received = Utc(2025, 1, 31);

        Assert.Equal(new DateOnly(2025, 2, 28), DueDates.DueDate(received, 1));
        Assert.Equal(new DateOnly(2025, 3, 31), DueDates.DueDate(received, 2)); // not 28 March
        Assert.Equal(new DateOnly(2025, 4, 30), DueDates.DueDate(received, 3));
        Assert.Equal(new DateOnly(2024, 4, 30), DueDates.DueDate(Utc(2023, 12, 31), 4));
    }

    [Fact]
    public void TheDayOfReceipt_IsTheUtcDay_WhateverTheRequestersZone()
    {
        // 00:30 on 1 March in Berlin is still 28 February in UTC: the month runs from there.
        var berlinMidnight = new DateTimeOffset(2025, 3, 1, 0, 30, 0, TimeSpan.FromHours(1));

        Assert.Equal(new DateOnly(2025, 3, 28), DueDates.DueDate(berlinMidnight, 1));
        Assert.Equal(new DateOnly(2025, 3, 28), DueDates.DueDate(Utc(2025, 2, 28, 23), 1));
        Assert.Equal(new DateOnly(2025, 4, 1), DueDates.DueDate(Utc(2025, 3, 1, 0), 1));
    }

    [Fact]
    public void DaysLeft_CountsWholeUtcDays_ToTheDueDate()
    {
        var dueAt = DueDates.DueAt(Utc(2025, 1, 31), 1); // due 28 February

        Assert.Equal(28, DueDates.DaysLeft(dueAt, Utc(2025, 1, 31, 23)));
        Assert.Equal(1, DueDates.DaysLeft(dueAt, Utc(2025, 2, 27, 0)));
        Assert.Equal(0, DueDates.DaysLeft(dueAt, Utc(2025, 2, 28, 23)));
        Assert.Equal(-1, DueDates.DaysLeft(dueAt, Utc(2025, 3, 1, 0)));
    }
}
