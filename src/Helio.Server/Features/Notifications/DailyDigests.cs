using System.Globalization;
using System.Text;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// One e-mail with every alarm notification that waited for it: daily at the user's digest hour for those who chose a
/// digest, and within the hour for what a rate limit held back from anyone else — so a flood becomes one mail, and
/// nothing is lost.
/// </summary>
public sealed class DailyDigests(HelioDbContext db, MailOutbox outbox, PersonalDataProtector protector, TimeProvider time)
{
    /// <summary>Most items listed in one digest; the mail says how many more there were.</summary>
    public const int MaxItems = 200;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = await db.Notifications.AsNoTracking().Where(n => n.State == NotificationState.ForDigest)
            .Select(n => n.UserId).Distinct().OrderBy(u => u).Take(500).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var userId in users)
        {
            var settings = await db.NotificationSettings.FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
            if (!IsDue(settings, now))
            {
                continue;
            }
            if (settings is null)
            {
                settings = new NotificationSettings { UserId = userId, UpdatedAt = now };
                db.NotificationSettings.Add(settings);
            }
            var items = await (
                from n in db.Notifications
                where n.UserId == userId && n.State == NotificationState.ForDigest
                orderby n.Id
                join e in db.AlarmEvents on n.EventId equals e.Id
                join a in db.Alarms on n.AlarmId equals a.Id
                join p in db.Plants on a.PlantId equals p.Id
                select new { Notification = n, e.Kind, e.At, a.Title, a.Severity, a.DeviceSerial, PlantName = p.Name, p.TimeZone }).ToListAsync(cancellationToken);
            var account = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.EmailConfirmed).Select(u => new { u.EmailCipher }).FirstOrDefaultAsync(cancellationToken);
            var to = account is null ? null : await protector.DecryptAsync(userId, UserStore.EmailField, account.EmailCipher, cancellationToken);
            foreach (var item in items)
            {
                item.Notification.State = NotificationState.Digested;
                item.Notification.SentAt = now;
            }
            settings.LastDigestAt = now;
            if (to is not null && items.Count > 0)
            {
                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"{items.Count} alarm notification{(items.Count == 1 ? "" : "s")} since your last digest:\n\n");
                foreach (var item in items.Take(MaxItems))
                {
                    var local = TimeZoneInfo.ConvertTime(item.At, Zones.Find(item.TimeZone));
                    var where = item.DeviceSerial is { } serial ? $"{item.PlantName}, {serial}" : item.PlantName;
                    text.Append(CultureInfo.InvariantCulture, $"- {local:yyyy-MM-dd HH:mm} {item.Severity.ToString().ToLowerInvariant()} {item.Kind.ToString().ToLowerInvariant()}: {item.Title} ({where})\n");
                }
                if (items.Count > MaxItems)
                {
                    text.Append(CultureInfo.InvariantCulture, $"… and {items.Count - MaxItems} more: see the alarm lists in Helio.\n");
                }
                await outbox.QueueAsync(userId, to, "alarm-digest", $"[Helio] Alarm digest: {items.Count} notification{(items.Count == 1 ? "" : "s")}", text.ToString(), cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            sent++;
        }
        return sent;
    }

    /// <summary>A chosen digest goes at the digest hour, once a day; overflow from the rate limits at most hourly.</summary>
    internal static bool IsDue(NotificationSettings? settings, DateTimeOffset now)
    {
        if (settings is { DailyDigest: true })
        {
            var today = QuietHours.DigestTimeToday(settings.DigestHour, settings.TimeZone, now);
            return now >= today && (settings.LastDigestAt is null || settings.LastDigestAt < today);
        }
        return settings?.LastDigestAt is not { } last || now - last >= TimeSpan.FromHours(1);
    }
}
