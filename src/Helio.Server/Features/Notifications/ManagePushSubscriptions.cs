using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// A browser's Web Push subscription, as PushSubscription.toJSON() gives it: subscribing again with the same endpoint
/// updates the row (the browser renewed its keys, or another account signed in on it), unsubscribing deletes it.
/// </summary>
internal sealed class ManagePushSubscriptions(HelioDbContext db, PersonalDataProtector protector, IOptions<NotificationsOptions> options, TimeProvider time)
{
    /// <summary>A few browsers and devices per person; a limit so no one fills the table.</summary>
    public const int MaxPerUser = 20;

    public async Task<Outcome<PushSubscriptionDto>> SubscribeAsync(Guid userId, PushSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        // The endpoint is chosen by whoever calls this API, so it is held to the same rules as a webhook URL.
        await WebhookTargets.CheckAsync(validation, "endpoint", request.Endpoint, options.Value.AllowPrivateTargets, cancellationToken);
        CheckKey(validation, "keys.p256dh", request.Keys?.P256dh, 65);
        CheckKey(validation, "keys.auth", request.Keys?.Auth, 16);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var endpoint = request.Endpoint!;
        var hash = Hash(endpoint);
        var row = await db.PushSubscriptions.FirstOrDefaultAsync(s => s.EndpointHash == hash, cancellationToken);
        if (row is null)
        {
            if (await db.PushSubscriptions.CountAsync(s => s.UserId == userId, cancellationToken) >= MaxPerUser)
            {
                return Refusal.Conflict($"At most {MaxPerUser} browsers per user; turn notifications off on one first.");
            }
            row = new PushSubscription { Id = Guid.NewGuid(), EndpointHash = hash, P256dh = "", Auth = "", CreatedAt = time.GetUtcNow() };
            db.PushSubscriptions.Add(row);
        }
        // Encrypted under the key of whoever holds the browser now.
        row.UserId = userId;
        row.EndpointCipher = await protector.EncryptAsync(userId, SendPush.EndpointField, endpoint, cancellationToken);
        row.P256dh = request.Keys!.P256dh!;
        row.Auth = request.Keys.Auth!;
        await db.SaveChangesAsync(cancellationToken);
        return new PushSubscriptionDto(row.Id, row.CreatedAt);
    }

    public async Task<Outcome<Done>> UnsubscribeAsync(Guid userId, PushUnsubscribeRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("endpoint", request.Endpoint, WebhookTargets.MaxUrlLength);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var hash = Hash(request.Endpoint!);
        var deleted = await db.PushSubscriptions.Where(s => s.EndpointHash == hash && s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? Refusal.NotFound : new Done();
    }

    internal static byte[] Hash(string endpoint) => SHA256.HashData(Encoding.UTF8.GetBytes(endpoint));

    private static void CheckKey(Validation validation, string field, string? value, int bytes)
    {
        if (string.IsNullOrEmpty(value))
        {
            validation.Add(field, "Required.");
            return;
        }
        int length;
        try
        {
            length = value.Length > 200 ? -1 : Base64Url.DecodeFromChars(value.TrimEnd('=')).Length;
        }
        catch (FormatException)
        {
            length = -1;
        }
        if (length != bytes)
        {
            validation.Add(field, $"Must be {bytes} bytes in base64url.");
        }
    }
}
