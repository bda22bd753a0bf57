using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>What one attempt came to; <see cref="Gone"/> means the target will never take it (no retry).</summary>
internal readonly record struct SendResult(bool Delivered, int? Status, string? Error, bool Gone = false)
{
    public static SendResult Ok(int status) => new(true, status, null);
    public static SendResult Failed(int? status, string error) => new(false, status, error);
    public static SendResult Dead(int? status, string error) => new(false, status, error, Gone: true);
}

/// <summary>
/// POSTs a delivery's JSON to its webhook, signed (<see cref="WebhookSignature"/>) and named by the delivery id so
/// receivers can drop a retry they already took.
/// </summary>
internal sealed class SendWebhook(HelioDbContext db, PersonalDataProtector protector, IHttpClientFactory clients, TimeProvider time)
{
    public const string UrlField = "webhooks.url";
    public const string SecretField = "webhooks.secret";

    public async Task<SendResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.TargetId, cancellationToken);
        if (webhook?.UrlCipher is null || webhook.SecretCipher is null)
        {
            return SendResult.Dead(null, "Webhook deleted.");
        }
        // Enabled decides which alarms are queued; turning a webhook off also stops the retries of those already
        // queued. A test or a replay is the owner asking for it, so it goes anyway.
        if (!webhook.Enabled && delivery.EventId is not null)
        {
            return SendResult.Dead(null, "Webhook disabled.");
        }
        var url = await protector.DecryptAsync(webhook.UserId, UrlField, webhook.UrlCipher, cancellationToken);
        var secret = await protector.DecryptAsync(webhook.UserId, SecretField, webhook.SecretCipher, cancellationToken);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Helio-Webhooks", null));
        request.Headers.Add("Helio-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Helio-Signature", WebhookSignature.Sign(secret, timestamp, delivery.Payload));
        request.Headers.Add("Helio-Delivery", delivery.Id.ToString());
        using var response = await clients.CreateClient(WebhookTargets.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        // The receiver's body is not kept: it may echo anything, the URL's token included.
        return response.IsSuccessStatusCode ? SendResult.Ok(status) : SendResult.Failed(status, $"HTTP {status}");
    }
}
