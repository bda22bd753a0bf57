using System.Globalization;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>A user's general notification settings: read (defaults when never saved) and replace.</summary>
internal sealed class ManageNotificationSettings(HelioDbContext db, TimeProvider time)
{
    public const string TimeFormat = "HH:mm";

    public async Task<NotificationSettingsDto> GetAsync(Guid userId, CancellationToken cancellationToken) =>
        ToDto(await db.NotificationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken) ?? new NotificationSettings { UserId = userId });

    public async Task<Outcome<NotificationSettingsDto>> UpdateAsync(Guid userId, NotificationSettingsRequest request, CancellationToken cancellationToken)
    {
        var defaults = new NotificationSettings();
        var validation = new Validation();
        if (request.MinSeverity is { } severity && !Enum.IsDefined(severity))
        {
            validation.Add("minSeverity", "Must be info, warning, major or critical.");
        }
        validation.Range("digestHour", request.DigestHour ?? defaults.DigestHour, 0, 23);
        var quietFrom = ParseTime(validation, "quietFrom", request.QuietFrom);
        var quietUntil = ParseTime(validation, "quietUntil", request.QuietUntil);
        if (quietFrom.HasValue != quietUntil.HasValue && validation.IsValid)
        {
            validation.Add(quietFrom.HasValue ? "quietUntil" : "quietFrom", "Quiet hours need both a start and an end.");
        }
        else if (quietFrom is not null && quietFrom == quietUntil)
        {
            validation.Add("quietUntil", "Must differ from quietFrom.");
        }
        var zone = request.TimeZone ?? defaults.TimeZone;
        if (!PlantValidation.IsIanaZone(zone))
        {
            validation.Add("timeZone", "Must be an IANA time zone, e.g. Europe/Berlin.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var settings = await db.NotificationSettings.FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (settings is null)
        {
            settings = new NotificationSettings { UserId = userId };
            db.NotificationSettings.Add(settings);
        }
        settings.MinSeverity = request.MinSeverity ?? defaults.MinSeverity;
        settings.Email = request.Email ?? defaults.Email;
        settings.Push = request.Push ?? defaults.Push;
        settings.DailyDigest = request.DailyDigest ?? defaults.DailyDigest;
        settings.DigestHour = request.DigestHour ?? defaults.DigestHour;
        settings.QuietFrom = quietFrom;
        settings.QuietUntil = quietUntil;
        settings.TimeZone = zone;
        settings.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(settings);
    }

    private static TimeOnly? ParseTime(Validation validation, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (TimeOnly.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value;
        }
        validation.Add(field, "Must be a time as HH:mm, e.g. 22:00.");
        return null;
    }

    private static NotificationSettingsDto ToDto(NotificationSettings s) => new(
        s.MinSeverity, s.Email, s.Push, s.DailyDigest, s.DigestHour,
        s.QuietFrom?.ToString(TimeFormat, CultureInfo.InvariantCulture), s.QuietUntil?.ToString(TimeFormat, CultureInfo.InvariantCulture), s.TimeZone);
}
