using System.Buffers.Text;
using System.Security.Cryptography;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// A user's webhooks: list, read, create (the signing secret is shown once), change, delete and rotate the secret
/// (the new one shown once; the old one stops at once). Only the owner ever sees one: someone else's id is a 404.
/// </summary>
internal sealed class ManageWebhooks(HelioDbContext db, PlantAccess access, PersonalDataProtector protector, IOptions<NotificationsOptions> options, TimeProvider time)
{
    public const int MaxNameLength = 100;
    /// <summary>Enough for every tool a user connects; a limit so a leaked token cannot make the server call out without end.</summary>
    public const int MaxWebhooksPerUser = 20;

    public async Task<IReadOnlyList<WebhookDto>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var rows = await db.Webhooks.AsNoTracking().Where(w => w.UserId == userId).OrderBy(w => w.CreatedAt).ToListAsync(cancellationToken);
        var list = new List<WebhookDto>(rows.Count);
        foreach (var row in rows)
        {
            list.Add(await ToDtoAsync(row, cancellationToken));
        }
        return list;
    }

    public async Task<Outcome<WebhookDto>> GetAsync(Guid userId, Guid webhookId, CancellationToken cancellationToken) =>
        await FindAsync(userId, webhookId, cancellationToken) is { } row ? await ToDtoAsync(row, cancellationToken) : Refusal.NotFound;

    public async Task<Outcome<NewWebhookSecretDto>> CreateAsync(Guid userId, WebhookRequest request, CancellationToken cancellationToken)
    {
        var validation = await ValidateAsync(userId, request, urlRequired: true, cancellationToken);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await db.Webhooks.CountAsync(w => w.UserId == userId, cancellationToken) >= MaxWebhooksPerUser)
        {
            return Refusal.Conflict($"At most {MaxWebhooksPerUser} webhooks per user; delete one first.");
        }
        var secret = NewSecret();
        var row = new Webhook
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = request.Name!.Trim(),
            PlantId = request.PlantId,
            MinSeverity = request.MinSeverity ?? Alarms.AlarmSeverity.Warning,
            Enabled = request.Enabled ?? true,
            UrlCipher = await protector.EncryptAsync(userId, SendWebhook.UrlField, request.Url!.Trim(), cancellationToken),
            SecretCipher = await protector.EncryptAsync(userId, SendWebhook.SecretField, secret, cancellationToken),
            CreatedAt = time.GetUtcNow(),
        };
        db.Webhooks.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new NewWebhookSecretDto(await ToDtoAsync(row, cancellationToken), secret);
    }

    /// <summary>Replaces name, plant, severity and enabled; the URL only when one is given.</summary>
    public async Task<Outcome<WebhookDto>> UpdateAsync(Guid userId, Guid webhookId, WebhookRequest request, CancellationToken cancellationToken)
    {
        // Ownership before validation: a stranger learns nothing from which of their fields were wrong.
        if (await FindAsync(userId, webhookId, cancellationToken) is not { } row)
        {
            return Refusal.NotFound;
        }
        var validation = await ValidateAsync(userId, request, urlRequired: false, cancellationToken);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        row.Name = request.Name!.Trim();
        row.PlantId = request.PlantId;
        row.MinSeverity = request.MinSeverity ?? row.MinSeverity;
        row.Enabled = request.Enabled ?? row.Enabled;
        if (request.Url is not null)
        {
            row.UrlCipher = await protector.EncryptAsync(userId, SendWebhook.UrlField, request.Url.Trim(), cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return await ToDtoAsync(row, cancellationToken);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid userId, Guid webhookId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, webhookId, cancellationToken) is not { } row)
        {
            return Refusal.NotFound;
        }
        db.Webhooks.Remove(row);
        // Its queued deliveries could never go anywhere; the log of past ones goes with it.
        await db.Deliveries.Where(d => d.TargetId == webhookId && d.Channel == NotificationChannel.Webhook).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }

    public async Task<Outcome<NewWebhookSecretDto>> RotateSecretAsync(Guid userId, Guid webhookId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, webhookId, cancellationToken) is not { } row)
        {
            return Refusal.NotFound;
        }
        var secret = NewSecret();
        row.SecretCipher = await protector.EncryptAsync(userId, SendWebhook.SecretField, secret, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new NewWebhookSecretDto(await ToDtoAsync(row, cancellationToken), secret);
    }

    internal Task<Webhook?> FindAsync(Guid userId, Guid webhookId, CancellationToken cancellationToken) =>
        db.Webhooks.FirstOrDefaultAsync(w => w.Id == webhookId && w.UserId == userId, cancellationToken);

    private async Task<Validation> ValidateAsync(Guid userId, WebhookRequest request, bool urlRequired, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("name", request.Name, MaxNameLength);
        if (urlRequired || request.Url is not null)
        {
            await WebhookTargets.CheckAsync(validation, "url", request.Url, options.Value.AllowPrivateTargets, cancellationToken);
        }
        if (request.MinSeverity is { } severity && !Enum.IsDefined(severity))
        {
            validation.Add("minSeverity", "Must be info, warning, major or critical.");
        }
        if (request.PlantId is { } plantId && !await access.Visible(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            validation.Add("plantId", "No such plant.");
        }
        return validation;
    }

    /// <summary>32 random bytes, base64url: 256 bits, as strong as the HMAC key can use.</summary>
    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private async Task<WebhookDto> ToDtoAsync(Webhook w, CancellationToken cancellationToken) => new(
        w.Id, w.Name, await protector.DecryptOrNullAsync(w.UserId, SendWebhook.UrlField, w.UrlCipher, cancellationToken) ?? "",
        w.PlantId, w.MinSeverity, w.Enabled, w.CreatedAt);
}
