using Helio.Server.Features.Telemetry;

namespace Helio.Server.Features.Notifications;

/// <summary>When a user's quiet hours and digest fall, in their own zone (pure, so it is tested directly).</summary>
public static class QuietHours
{
    /// <summary>The instant the user's quiet hours end when <paramref name="now"/> is inside them; null otherwise
    /// (or when they have none). A window whose end is before its start runs overnight.</summary>
    public static DateTimeOffset? EndOf(TimeOnly? from, TimeOnly? until, string timeZone, DateTimeOffset now)
    {
        if (from is not { } start || until is not { } end || start == end)
        {
            return null;
        }
        var zone = Zones.Find(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var today = DateOnly.FromDateTime(local);
        DateOnly endDay;
        if (start < end)
        {
            if (time < start || time >= end)
            {
                return null;
            }
            endDay = today;
        }
        else
        {
            if (time < start && time >= end)
            {
                return null;
            }
            endDay = time >= start ? today.AddDays(1) : today;
        }
        return Instant(endDay.ToDateTime(end), zone);
    }

    /// <summary>The instant of a local wall-clock time; a time the clocks skip (spring forward) moves to after the gap.</summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Today's digest time in the user's zone as an instant.</summary>
    public static DateTimeOffset DigestTimeToday(int hour, string timeZone, DateTimeOffset now)
    {
        var zone = Zones.Find(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        return Instant(local.Date.AddHours(hour), zone);
    }
}
