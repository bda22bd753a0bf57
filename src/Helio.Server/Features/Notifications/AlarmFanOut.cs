using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Turns alarm events nobody has been told about into notifications, per recipient and their settings, in one
/// transaction per batch: the events are marked, the ledger rows, mails and deliveries written together, so a crash
/// or a second node can neither lose nor repeat one (the ledger's unique key stops a repeat cold).
/// <list type="bullet">
/// <item>E-mail: at once; held to the end of quiet hours; or into the digest (chosen, or over a rate limit). Critical
/// alarms skip quiet hours and the chosen digest, not the rate limits.</item>
/// <item>Push: to each of the user's browsers, at once or after quiet hours; over a rate limit, not at all (the
/// e-mail digest still tells).</item>
/// <item>Webhooks: every matching event, at once: they are machines, with no sleep to protect; flapping suppression
/// still applies, since a flapping alarm's returns are not events to tell.</item>
/// </list>
/// </summary>
public sealed class AlarmFanOut(
    HelioDbContext db,
    MailOutbox outbox,
    PersonalDataProtector protector,
    DeliverySignal deliveries,
    TimeProvider time,
    IOptions<NotificationsOptions> options,
    IOptions<HelioOptions> helio,
    IConfiguration configuration)
{
    public const int BatchSize = 500;

    private readonly NotificationsOptions settings = options.Value;

    /// <summary>One batch of waiting events; returns how many were handled (0: none waiting).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // Tracked, with no AsNoTracking anywhere in the query (EF decides tracking per query): the events are marked
        // notified in the same save as what they caused.
        var waiting = await (
            from e in db.AlarmEvents
            where e.NotifiedAt == null
            orderby e.Id
            join a in db.Alarms on e.AlarmId equals a.Id
            join p in db.Plants on a.PlantId equals p.Id
            select new { Event = e, Alarm = a, p.Name, p.TimeZone }).Take(BatchSize).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        var news = waiting.Select(w => new AlarmNews(w.Event, w.Alarm, w.Name, w.TimeZone)).ToList();
        var context = await RecipientsContext.LoadAsync(db, protector, news.Select(n => n.Alarm.PlantId).ToHashSet(), now, cancellationToken);
        var baseUrl = BaseUrl;
        foreach (var item in news)
        {
            item.Event.NotifiedAt = now;
            foreach (var userId in context.RecipientsOf(item.Alarm.PlantId))
            {
                await TellAsync(item, userId, context, now, baseUrl, cancellationToken);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (context.QueuedDeliveries)
        {
            deliveries.Pulse();
        }
        return waiting.Count;
    }

    /// <summary>Sends what quiet hours held, once they have ended; returns how many.</summary>
    public async Task<int> ReleaseHeldAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await (
            from n in db.Notifications
            where n.State == NotificationState.Held && n.DueAt <= now
            orderby n.Id
            join e in db.AlarmEvents on n.EventId equals e.Id
            join a in db.Alarms on n.AlarmId equals a.Id
            join p in db.Plants on a.PlantId equals p.Id
            select new { Notification = n, Event = e, Alarm = a, p.Name, p.TimeZone }).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }
        var context = await RecipientsContext.LoadAsync(db, protector, due.Select(d => d.Alarm.PlantId).ToHashSet(), now, cancellationToken);
        var baseUrl = BaseUrl;
        foreach (var held in due)
        {
            var item = new AlarmNews(held.Event, held.Alarm, held.Name, held.TimeZone);
            held.Notification.State = NotificationState.Sent;
            held.Notification.SentAt = now;
            if (held.Notification.Channel == NotificationChannel.Email && context.EmailOf(held.Notification.UserId) is { } to)
            {
                await outbox.QueueAsync(held.Notification.UserId, to, "alarm", item.Subject, item.EmailText(baseUrl), cancellationToken);
            }
            else if (held.Notification.Channel == NotificationChannel.Push)
            {
                QueueDelivery(NotificationChannel.Push, held.Notification.TargetId, held.Notification.UserId, item.Event.Id, item.PushPayload(), now);
                context.QueuedDeliveries = true;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (context.QueuedDeliveries)
        {
            deliveries.Pulse();
        }
        return due.Count;
    }

    private string BaseUrl =>
        (helio.Value.PublicBaseUrl is { Length: > 0 } configured ? configured
            : configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/');

    private async Task TellAsync(AlarmNews item, Guid userId, RecipientsContext context, DateTimeOffset now, string baseUrl, CancellationToken cancellationToken)
    {
        var alarm = item.Alarm;
        foreach (var webhook in context.WebhooksOf(userId).Where(w => (w.PlantId is null || w.PlantId == alarm.PlantId) && alarm.Severity >= w.MinSeverity))
        {
            Ledger(item, userId, NotificationChannel.Webhook, webhook.Id, NotificationState.Sent, now, now);
            QueueDelivery(NotificationChannel.Webhook, webhook.Id, userId, item.Event.Id, item.WebhookPayload(), now);
            context.QueuedDeliveries = true;
        }

        var general = context.SettingsOf(userId);
        var plant = context.PlantSettingsOf(userId, alarm.PlantId);
        if (plant?.Muted == true || alarm.Severity < (plant?.MinSeverity ?? general.MinSeverity))
        {
            return;
        }
        var critical = alarm.Severity == AlarmSeverity.Critical;
        var quietEnd = critical ? null : QuietHours.EndOf(general.QuietFrom, general.QuietUntil, general.TimeZone, now);

        if (general.Email && (plant?.Email ?? true) && context.EmailOf(userId) is { } to)
        {
            var overLimit = !context.TryCount(userId, alarm.PlantId, NotificationChannel.Email, settings.PerPlantPerHour, settings.PerUserPerHour);
            if (overLimit || (general.DailyDigest && !critical))
            {
                Ledger(item, userId, NotificationChannel.Email, Guid.Empty, NotificationState.ForDigest, now, now);
            }
            else if (quietEnd is { } end)
            {
                Ledger(item, userId, NotificationChannel.Email, Guid.Empty, NotificationState.Held, now, end);
            }
            else
            {
                Ledger(item, userId, NotificationChannel.Email, Guid.Empty, NotificationState.Sent, now, now);
                await outbox.QueueAsync(userId, to, "alarm", item.Subject, item.EmailText(baseUrl), cancellationToken);
            }
        }

        if (general.Push && (plant?.Push ?? true))
        {
            var subscriptions = context.PushOf(userId);
            if (subscriptions.Count > 0 && context.TryCount(userId, alarm.PlantId, NotificationChannel.Push, settings.PerPlantPerHour, settings.PerUserPerHour))
            {
                foreach (var subscription in subscriptions)
                {
                    if (quietEnd is { } end)
                    {
                        Ledger(item, userId, NotificationChannel.Push, subscription, NotificationState.Held, now, end);
                        continue;
                    }
                    Ledger(item, userId, NotificationChannel.Push, subscription, NotificationState.Sent, now, now);
                    QueueDelivery(NotificationChannel.Push, subscription, userId, item.Event.Id, item.PushPayload(), now);
                    context.QueuedDeliveries = true;
                }
            }
        }
    }

    private void Ledger(AlarmNews item, Guid userId, NotificationChannel channel, Guid target, NotificationState state, DateTimeOffset now, DateTimeOffset due) =>
        db.Notifications.Add(new Notification
        {
            EventId = item.Event.Id,
            AlarmId = item.Alarm.Id,
            UserId = userId,
            Channel = channel,
            TargetId = target,
            State = state,
            CreatedAt = now,
            DueAt = due,
            SentAt = state == NotificationState.Sent ? now : null,
        });

    private void QueueDelivery(NotificationChannel channel, Guid target, Guid userId, long eventId, string payload, DateTimeOffset now) =>
        db.Deliveries.Add(new Delivery
        {
            Id = Guid.CreateVersion7(now),
            Channel = channel,
            TargetId = target,
            UserId = userId,
            EventId = eventId,
            Payload = payload,
            State = DeliveryState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        });

    /// <summary>Everything about a batch's recipients, read in a few queries: settings, addresses, browsers, webhooks
    /// and what they were sent in the last hour (for the rate limits), counted on as the batch proceeds.</summary>
    private sealed class RecipientsContext
    {
        private readonly Dictionary<Guid, Guid[]> recipients;
        private readonly Dictionary<Guid, NotificationSettings> general;
        private readonly Dictionary<(Guid, Guid), PlantNotificationSettings> perPlant;
        private readonly Dictionary<Guid, string> emails;
        private readonly ILookup<Guid, Guid> push;
        private readonly ILookup<Guid, Webhook> webhooks;
        private readonly Dictionary<(Guid User, Guid Plant, NotificationChannel Channel), int> sentByPlant;
        private readonly Dictionary<(Guid User, NotificationChannel Channel), int> sentByUser;

        private RecipientsContext(
            Dictionary<Guid, Guid[]> recipients, Dictionary<Guid, NotificationSettings> general, Dictionary<(Guid, Guid), PlantNotificationSettings> perPlant,
            Dictionary<Guid, string> emails, ILookup<Guid, Guid> push, ILookup<Guid, Webhook> webhooks,
            Dictionary<(Guid, Guid, NotificationChannel), int> sentByPlant, Dictionary<(Guid, NotificationChannel), int> sentByUser)
        {
            this.recipients = recipients;
            this.general = general;
            this.perPlant = perPlant;
            this.emails = emails;
            this.push = push;
            this.webhooks = webhooks;
            this.sentByPlant = sentByPlant;
            this.sentByUser = sentByUser;
        }

        public bool QueuedDeliveries { get; set; }

        public static async Task<RecipientsContext> LoadAsync(HelioDbContext db, PersonalDataProtector protector, HashSet<Guid> plantIds, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var recipients = await AlarmRecipients.ForPlantsAsync(db, plantIds, cancellationToken);
            var users = recipients.Values.SelectMany(u => u).ToHashSet();
            var general = await db.NotificationSettings.AsNoTracking().Where(s => users.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, cancellationToken);
            var perPlant = await db.PlantNotificationSettings.AsNoTracking().Where(s => users.Contains(s.UserId) && plantIds.Contains(s.PlantId))
                .ToDictionaryAsync(s => (s.UserId, s.PlantId), cancellationToken);
            var accounts = await db.Users.AsNoTracking().Where(u => users.Contains(u.Id) && u.EmailConfirmed).Select(u => new { u.Id, u.EmailCipher }).ToListAsync(cancellationToken);
            var emails = new Dictionary<Guid, string>();
            foreach (var account in accounts)
            {
                if (await protector.DecryptAsync(account.Id, UserStore.EmailField, account.EmailCipher, cancellationToken) is { } email)
                {
                    emails[account.Id] = email;
                }
            }
            var push = (await db.PushSubscriptions.AsNoTracking().Where(s => users.Contains(s.UserId)).Select(s => new { s.UserId, s.Id }).ToListAsync(cancellationToken))
                .ToLookup(s => s.UserId, s => s.Id);
            var webhooks = (await db.Webhooks.AsNoTracking().Where(w => users.Contains(w.UserId) && w.Enabled).ToListAsync(cancellationToken)).ToLookup(w => w.UserId);
            var since = now.AddHours(-1);
            var sent = await (
                from n in db.Notifications.AsNoTracking()
                where users.Contains(n.UserId) && n.CreatedAt > since && n.State != NotificationState.ForDigest && n.Channel != NotificationChannel.Webhook
                join a in db.Alarms.AsNoTracking() on n.AlarmId equals a.Id
                group n by new { n.UserId, a.PlantId, n.Channel } into g
                select new { g.Key.UserId, g.Key.PlantId, g.Key.Channel, Count = g.Count() }).ToListAsync(cancellationToken);
            var byPlant = sent.ToDictionary(s => (s.UserId, s.PlantId, s.Channel), s => s.Count);
            var byUser = sent.GroupBy(s => (s.UserId, s.Channel)).ToDictionary(g => g.Key, g => g.Sum(s => s.Count));
            return new RecipientsContext(recipients, general, perPlant, emails, push, webhooks, byPlant, byUser);
        }

        public IReadOnlyList<Guid> RecipientsOf(Guid plantId) => recipients.GetValueOrDefault(plantId) ?? [];

        public NotificationSettings SettingsOf(Guid userId) => general.GetValueOrDefault(userId) ?? new NotificationSettings { UserId = userId };

        public PlantNotificationSettings? PlantSettingsOf(Guid userId, Guid plantId) => perPlant.GetValueOrDefault((userId, plantId));

        public string? EmailOf(Guid userId) => emails.GetValueOrDefault(userId);

        public IReadOnlyList<Guid> PushOf(Guid userId) => push[userId].ToList();

        public IEnumerable<Webhook> WebhooksOf(Guid userId) => webhooks[userId];

        /// <summary>Counts one more notification on the channel when both limits allow it; false (and nothing counted) when not.</summary>
        public bool TryCount(Guid userId, Guid plantId, NotificationChannel channel, int perPlant, int perUser)
        {
            var plantCount = sentByPlant.GetValueOrDefault((userId, plantId, channel));
            var userCount = sentByUser.GetValueOrDefault((userId, channel));
            if (plantCount >= perPlant || userCount >= perUser)
            {
                return false;
            }
            sentByPlant[(userId, plantId, channel)] = plantCount + 1;
            sentByUser[(userId, channel)] = userCount + 1;
            return true;
        }
    }
}
