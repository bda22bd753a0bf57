namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// When an answer is due: "within one month of receipt of the request", extendable "by two further months"
/// (GDPR Art. 12(3)). Months are calendar months, counted as EU Regulation 1182/71 Art. 3 counts them: the period ends
/// with the last hour of the day of the last month that has the receipt's date, or of that month's last day when it
/// has no such date — 31 January → 28 February (29 in a leap year), 15 January → 15 February. Counted in UTC on every
/// node (ADR 0023): a deployment's users may live in several zones, and a date that depends on none is the same for
/// the requester, the privacy officer and the reminder job. Holidays do not move the date: never later than the law.
/// </summary>
public static class DueDates
{
    public const int MaxExtensionMonths = 2;

    /// <summary>The last day of the period: the receipt's UTC date plus <paramref name="months"/> calendar months.</summary>
    public static DateOnly DueDate(DateTimeOffset receivedAt, int months) =>
        DateOnly.FromDateTime(receivedAt.UtcDateTime).AddMonths(months); // AddMonths clamps to the month's last day

    /// <summary>The instant the period ends (exclusive): midnight UTC after <see cref="DueDate"/>.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset receivedAt, int months) =>
        new(DueDate(receivedAt, months).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The due date of a stored <see cref="PrivacyRequest.DueAt"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset dueAt) => DateOnly.FromDateTime(dueAt.UtcDateTime).AddDays(-1);

    /// <summary>Whole days from today (UTC) to the due date: 0 on the due date itself, negative once overdue.</summary>
    public static int DaysLeft(DateTimeOffset dueAt, DateTimeOffset now) =>
        DateOf(dueAt).DayNumber - DateOnly.FromDateTime(now.UtcDateTime).DayNumber;
}
