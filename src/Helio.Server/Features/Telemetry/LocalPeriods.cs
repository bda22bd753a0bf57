namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Plant-local periods and their keys. Five-minute and hour keys are Unix milliseconds (UTC) of the period's
/// start, so that a repeated local hour in a fall-back night still has a key of its own; day, month and year keys
/// are the local calendar date as decimal digits (20261130, 202611, 2026), so that they read as what they mean.
/// </summary>
/// <remarks>
/// A local day runs from the first instant of its date to the first instant of the next date: 23 hours on a
/// spring-forward day, 25 on a fall-back day, and starting at the transition where a zone skips midnight.
/// Every instant belongs to exactly one period of each level, and a period's children tile it.
/// </remarks>
internal static class LocalPeriods
{
    public const long FiveMinutesMs = 300_000;
    private const long HourMs = 3_600_000;

    /// <summary>
    /// Start of the five-minute bucket containing <paramref name="atMs"/>. Buckets are aligned in UTC, which makes
    /// them local buckets too: every offset in use is a whole number of quarter hours, so a UTC five-minute
    /// boundary is a local one, and one bucket set serves plants in all zones.
    /// </summary>
    public static long FiveMinuteBucket(long atMs) => atMs - FloorMod(atMs, FiveMinutesMs);

    /// <summary>Unix ms of the start of the local hour containing <paramref name="atMs"/>.</summary>
    public static long HourKey(long atMs, TimeZoneInfo zone)
    {
        var offset = OffsetMs(atMs, zone);
        var local = atMs + offset;
        var start = local - FloorMod(local, HourMs) - offset;
        if (OffsetMs(start, zone) == offset)
        {
            return start;
        }
        // The offset changed inside this local hour (the second 01:xx of a fall-back night, Lord Howe's
        // half-hour shift): the hour as it is read now began at the transition, which keeps its key apart
        // from the hour read under the old offset.
        var (lo, hi) = (start, atMs);
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            (lo, hi) = OffsetMs(mid, zone) == offset ? (lo, mid) : (mid, hi);
        }
        return hi;
    }

    /// <summary>End (exclusive) of the local hour whose key is <paramref name="hourKey"/>: the next hour's key.</summary>
    public static long HourEnd(long hourKey, TimeZoneInfo zone)
    {
        var offset = OffsetMs(hourKey, zone);
        var local = hourKey + offset;
        var end = local - FloorMod(local, HourMs) + HourMs - offset;
        if (OffsetMs(end - 1, zone) == offset)
        {
            return end;
        }
        // A transition cuts the hour short (the first 01:xx of Lord Howe's fall-back night ends at 01:30 local).
        var (lo, hi) = (hourKey, end - 1);
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            (lo, hi) = OffsetMs(mid, zone) == offset ? (mid, hi) : (lo, mid);
        }
        return hi;
    }

    public static DateOnly LocalDate(long atMs, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(atMs + OffsetMs(atMs, zone)));

    public static long DayKey(DateOnly date) => date.Year * 10_000L + date.Month * 100L + date.Day;

    public static DateOnly DayOf(long dayKey) => new((int)(dayKey / 10_000), (int)(dayKey / 100 % 100), (int)(dayKey % 100));

    public static long MonthKey(int year, int month) => year * 100L + month;

    public static long YearKey(int year) => year;

    /// <summary>Unix ms from the start of <paramref name="date"/> in <paramref name="zone"/> to the start of the next date.</summary>
    public static (long StartMs, long EndMs) DayRange(DateOnly date, TimeZoneInfo zone) =>
        (DayStart(date, zone), DayStart(date.AddDays(1), zone));

    /// <summary>The key of the period one level up that contains the period <paramref name="key"/> of <paramref name="level"/>.</summary>
    public static long ParentKey(RollupLevel level, long key, TimeZoneInfo zone) => level switch
    {
        RollupLevel.FiveMinutes => HourKey(key, zone),
        RollupLevel.Hour => DayKey(LocalDate(key, zone)),
        RollupLevel.Day or RollupLevel.Month => key / 100,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "A year has no parent period."),
    };

    /// <summary>
    /// The first and last keys (inclusive) of the periods one level down that make up the period
    /// <paramref name="parentKey"/> of <paramref name="parentLevel"/>. Hour and five-minute keys are not
    /// consecutive numbers: walk hours with <see cref="HourEnd"/> and buckets in steps of <see cref="FiveMinutesMs"/>.
    /// </summary>
    public static (long First, long Last) ChildRange(RollupLevel parentLevel, long parentKey, TimeZoneInfo zone)
    {
        switch (parentLevel)
        {
            case RollupLevel.Hour:
                return (parentKey, HourEnd(parentKey, zone) - FiveMinutesMs);
            case RollupLevel.Day:
                var (start, end) = DayRange(DayOf(parentKey), zone);
                return (HourKey(start, zone), HourKey(end - 1, zone));
            case RollupLevel.Month:
                var (year, month) = ((int)(parentKey / 100), (int)(parentKey % 100));
                return (parentKey * 100 + 1, parentKey * 100 + DateTime.DaysInMonth(year, month));
            case RollupLevel.Year:
                return (MonthKey((int)parentKey, 1), MonthKey((int)parentKey, 12));
            default:
                throw new ArgumentOutOfRangeException(nameof(parentLevel), parentLevel, "A five-minute bucket has no children.");
        }
    }

    private static long DayStart(DateOnly date, TimeZoneInfo zone)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        var localMs = (midnight - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        if (zone.IsAmbiguousTime(midnight))
        {
            // A fall-back ending at 01:00 repeats midnight; the date begins at the first of the two.
            var latestOffset = zone.GetAmbiguousTimeOffsets(midnight).Max();
            return localMs - (long)latestOffset.TotalMilliseconds;
        }
        if (!zone.IsInvalidTime(midnight))
        {
            return localMs - (long)zone.GetUtcOffset(midnight).TotalMilliseconds;
        }
        // Midnight was skipped (Santiago, Beirut): the date begins at the transition, the first instant whose
        // local time is past midnight. Offsets lie within -12 h..+14 h, which brackets it; no zone has another
        // transition that close, so local time only rises across the bracket.
        var (lo, hi) = (localMs - 14 * HourMs - 1, localMs + 12 * HourMs);
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            (lo, hi) = mid + OffsetMs(mid, zone) >= localMs ? (lo, mid) : (mid, hi);
        }
        return hi;
    }

    private static long OffsetMs(long atMs, TimeZoneInfo zone) =>
        (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(atMs)).TotalMilliseconds;

    private static long FloorMod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
