using Helio.Server.Features.Alarms;

namespace Helio.Server.Features.Notifications;

/// <summary>General settings; quiet hours are local "HH:mm" in <c>TimeZone</c>, null for none.</summary>
public sealed record NotificationSettingsDto(
    AlarmSeverity MinSeverity, bool Email, bool Push, bool DailyDigest, int DigestHour, string? QuietFrom, string? QuietUntil, string TimeZone);

/// <summary>Fields left out take the defaults (warning, e-mail and push on, no digest at 07, no quiet hours, UTC).</summary>
public sealed record NotificationSettingsRequest(
    AlarmSeverity? MinSeverity, bool? Email, bool? Push, bool? DailyDigest, int? DigestHour, string? QuietFrom, string? QuietUntil, string? TimeZone);

/// <summary>A plant's settings; <c>Overridden</c> false means the general settings apply (and are shown).</summary>
public sealed record PlantNotificationSettingsDto(Guid PlantId, bool Overridden, AlarmSeverity MinSeverity, bool Email, bool Push, bool Muted);

public sealed record PlantNotificationSettingsRequest(AlarmSeverity? MinSeverity, bool? Email, bool? Push, bool? Muted);

public sealed record WebhookRequest(string? Name, string? Url, Guid? PlantId, AlarmSeverity? MinSeverity, bool? Enabled);

/// <summary>A webhook as read: the URL (the owner's own), never the secret.</summary>
public sealed record WebhookDto(Guid Id, string Name, string Url, Guid? PlantId, AlarmSeverity MinSeverity, bool Enabled, DateTimeOffset CreatedAt);

/// <summary>A webhook just created, or its secret just rotated: the only answers that carry the secret.</summary>
public sealed record NewWebhookSecretDto(WebhookDto Webhook, string Secret);

public sealed record DeliveryDto(
    Guid Id, NotificationChannel Channel, Guid TargetId, long? EventId, DeliveryState State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatus, string? LastError)
{
    public static DeliveryDto From(Delivery d) =>
        new(d.Id, d.Channel, d.TargetId, d.EventId, d.State, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt, d.LastStatus, d.LastError);
}

/// <summary>As the browser's PushSubscription.toJSON() gives it.</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushKeys? Keys);

public sealed record PushKeys(string? P256dh, string? Auth);

public sealed record PushUnsubscribeRequest(string? Endpoint);

public sealed record PushSubscriptionDto(Guid Id, DateTimeOffset CreatedAt);

public sealed record VapidPublicKeyDto(string PublicKey);
