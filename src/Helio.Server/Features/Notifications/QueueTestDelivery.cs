using System.Text.Json;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// "Send test": queues a delivery with no alarm event behind it (EventId null) and a body of type "test", so the owner
/// can check their receiver and its signature check end to end, through the same worker, retries and log as alarms.
/// </summary>
internal sealed class QueueTestDelivery(HelioDbContext db, ManageWebhooks webhooks, DeliverySignal signal, TimeProvider time)
{
    public async Task<Outcome<DeliveryDto>> HandleAsync(Guid userId, Guid webhookId, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(userId, webhookId, cancellationToken) is not { } webhook)
        {
            return Refusal.NotFound;
        }
        var now = time.GetUtcNow();
        var delivery = new Delivery
        {
            Id = Guid.NewGuid(),
            Channel = NotificationChannel.Webhook,
            TargetId = webhook.Id,
            UserId = userId,
            EventId = null,
            Payload = JsonSerializer.Serialize(new TestPayload("test", webhook.Id, webhook.Name, now, "This is a test from Helio: your webhook works.")),
            State = DeliveryState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        signal.Pulse();
        return DeliveryDto.From(delivery);
    }

    private sealed record TestPayload(
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("webhookId")] Guid WebhookId,
        [property: System.Text.Json.Serialization.JsonPropertyName("webhookName")] string WebhookName,
        [property: System.Text.Json.Serialization.JsonPropertyName("sentAt")] DateTimeOffset SentAt,
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
}
