using System.Net;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Sends a delivery's JSON to a browser through its push service (RFC 8030), encrypted for the browser (RFC 8291,
/// aes128gcm) and signed with the server's VAPID key (RFC 8292). A push service that answers 404 or 410 has dropped
/// the subscription: it is deleted, and the delivery is dead.
/// </summary>
internal sealed class SendPush(HelioDbContext db, PersonalDataProtector protector, IHttpClientFactory clients, VapidKeys vapid)
{
    public const string EndpointField = "push_subscriptions.endpoint";
    private static readonly TimeSpan TimeToLive = TimeSpan.FromHours(12);

    public async Task<SendResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var subscription = await db.PushSubscriptions.FirstOrDefaultAsync(s => s.Id == delivery.TargetId, cancellationToken);
        if (subscription?.EndpointCipher is null)
        {
            return SendResult.Dead(null, "Subscription deleted.");
        }
        var target = new Lib.Net.Http.WebPush.PushSubscription
        {
            Endpoint = await protector.DecryptAsync(subscription.UserId, EndpointField, subscription.EndpointCipher, cancellationToken),
        };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        using var authentication = new VapidAuthentication(vapid.PublicKey, vapid.PrivateKey) { Subject = vapid.Subject };
        // Retries are the delivery worker's (with its backoff and lease), not the library's.
        var client = new PushServiceClient(clients.CreateClient(WebhookTargets.ClientName)) { AutoRetryAfter = false };
        try
        {
            await client.RequestPushMessageDeliveryAsync(
                target,
                new PushMessage(delivery.Payload) { TimeToLive = (int)TimeToLive.TotalSeconds, Urgency = PushMessageUrgency.High },
                authentication,
                VapidAuthenticationScheme.Vapid,
                cancellationToken);
            return SendResult.Ok(StatusCodes.Status201Created);
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            // Saved with the delivery's new state by the worker.
            db.PushSubscriptions.Remove(subscription);
            return SendResult.Dead((int)e.StatusCode, $"HTTP {(int)e.StatusCode}: subscription expired, deleted.");
        }
        catch (PushServiceClientException e)
        {
            return SendResult.Failed((int)e.StatusCode, $"HTTP {(int)e.StatusCode}");
        }
    }
}
