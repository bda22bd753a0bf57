using System.Text.Json.Serialization;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// Everything Helio holds about the caller (the right of access, GDPR Art. 15, the policy's self-service at the login
/// portal), decrypted for them alone: what <c>GET /api/v1/me/data</c> answers and the "My data" page shows. Never the
/// password hash, the security stamp, the 2FA secret, recovery codes, blind indexes, token hashes or webhook secrets —
/// the account is read through <see cref="GetProfile"/> and the rest through each feature's own owner-facing reads,
/// which leave those out. Sections another feature adds (consents, policy acceptances) come from
/// <see cref="IMyDataSection"/> and appear beside these.
/// </summary>
public sealed record MyDataDto(
    ProfileDto Account,
    MySignInStateDto SignIn,
    IReadOnlyList<MySessionDto> Sessions,
    IReadOnlyList<PlantDto> Plants,
    IReadOnlyList<DeviceDto> Devices,
    MySharesDto Shares,
    IReadOnlyList<OrganisationDto> Organisations,
    AccessRequestListDto AccessGrants,
    IReadOnlyList<ApiAccountDetailDto> ApiAccounts,
    MyNotificationsDto Notifications,
    IReadOnlyList<PrivacyRequestDto> Requests,
    AccessLogPage AccessLog)
{
    /// <summary>The sections of <see cref="IMyDataSection"/>s, beside the built-in ones in the JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? More { get; init; }
}

/// <summary>The lockout state (brute-force protection): failures in a row and a lock's end.</summary>
public sealed record MySignInStateDto(int FailedPasswordsInARow, DateTimeOffset? LockedUntil);

public sealed record MySessionDto(Guid Id, SessionKind Kind, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>What the caller shares of their plants (with the address they invited), and what others share with them.</summary>
public sealed record MySharesDto(IReadOnlyList<MyPlantSharesDto> Given, IReadOnlyList<MyReceivedShareDto> Received);

public sealed record MyPlantSharesDto(Guid PlantId, IReadOnlyList<ShareDto> Shares);

public sealed record MyReceivedShareDto(Guid ShareId, Guid PlantId, string? PlantName, ShareScope Scope, DateTimeOffset SharedAt, DateTimeOffset? RevokedAt);

public sealed record MyNotificationsDto(
    NotificationSettingsDto Settings, IReadOnlyList<PlantNotificationSettingsDto> PlantSettings, IReadOnlyList<WebhookDto> Webhooks, IReadOnlyList<MyPushSubscriptionDto> PushSubscriptions);

public sealed record MyPushSubscriptionDto(Guid Id, string? Endpoint, DateTimeOffset CreatedAt);

/// <summary>A part of "My data" that another feature owns (e.g. consents): registered as a scoped service, shown under <see cref="Name"/>.</summary>
public interface IMyDataSection
{
    /// <summary>A camelCase JSON name that no built-in section uses.</summary>
    string Name { get; }

    Task<object> ReadAsync(Guid userId, CancellationToken cancellationToken);
}

internal sealed class GetMyData(
    HelioDbContext db, PersonalDataProtector protector, GetProfile profile, GetPlant plants, ShareQueries shares, OrganisationQueries organisations,
    AccessRequestQueries access, ApiAccountQueries apiAccounts, ManageNotificationSettings settings, ManagePlantNotificationSettings plantSettings,
    ManageWebhooks webhooks, RequestQueries requests, ListAccessLog accessLog, IEnumerable<IMyDataSection> sections, AuditTrail audit)
{
    /// <summary>Rows per list that has no natural bound; "who accessed my data" pages on from its <c>next</c> cursor.</summary>
    public const int MaxRows = 200;

    public async Task<MyDataDto?> HandleAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (await profile.HandleAsync(userId, cancellationToken) is not { } account)
        {
            return null;
        }
        var signIn = await db.Users.Where(u => u.Id == userId).Select(u => new MySignInStateDto(u.AccessFailedCount, u.LockoutEnd)).SingleAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => s.UserId == userId).OrderByDescending(s => s.CreatedAt).Take(MaxRows)
            .Select(s => new MySessionDto(s.Id, s.Kind, s.CreatedAt, s.ExpiresAt, s.RevokedAt)).ToListAsync(cancellationToken);

        var owned = await db.Plants.AsNoTracking().Where(p => p.OwnerId == userId).OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var ownedIds = owned.Select(p => p.Id).ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => ownedIds.Contains(d.PlantId)).OrderBy(d => d.SerialNumber)
            .Select(d => new DeviceDto(d.SerialNumber, d.Kind, d.Model, d.PlantId, d.CreatedAt)).ToListAsync(cancellationToken);
        var plantList = new List<PlantDto>(owned.Count);
        var given = new List<MyPlantSharesDto>();
        foreach (var plant in owned)
        {
            plantList.Add(await plants.ToDtoAsync(plant, devices.Count(d => d.PlantId == plant.Id), withAddress: true, cancellationToken));
            if ((await shares.ListAsync(userId, plant.Id, cancellationToken)).Value is { Count: > 0 } list)
            {
                given.Add(new MyPlantSharesDto(plant.Id, list));
            }
        }
        var received = await (
            from s in db.PlantShares
            where s.UserId == userId
            join p in db.Plants on s.PlantId equals p.Id
            orderby s.CreatedAt descending
            select new MyReceivedShareDto(s.Id, s.PlantId, s.RevokedAt == null ? p.Name : null, s.Scope, s.CreatedAt, s.RevokedAt)).Take(MaxRows).ToListAsync(cancellationToken);

        var accounts = new List<ApiAccountDetailDto>();
        foreach (var summary in await apiAccounts.ListAsync(userId, cancellationToken))
        {
            if ((await apiAccounts.GetAsync(userId, summary.Id, cancellationToken)).Value is { } detail)
            {
                accounts.Add(detail);
            }
        }
        var push = new List<MyPushSubscriptionDto>();
        foreach (var subscription in await db.PushSubscriptions.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedAt).Take(MaxRows).ToListAsync(cancellationToken))
        {
            push.Add(new MyPushSubscriptionDto(subscription.Id,
                await Invitations.TryDecryptAsync(protector, userId, SendPush.EndpointField, subscription.EndpointCipher, cancellationToken), subscription.CreatedAt));
        }
        var notifications = new MyNotificationsDto(
            await settings.GetAsync(userId, cancellationToken), await plantSettings.ListAsync(userId, cancellationToken), await webhooks.ListAsync(userId, cancellationToken), push);

        Dictionary<string, object>? more = null;
        foreach (var section in sections)
        {
            more ??= new Dictionary<string, object>(StringComparer.Ordinal);
            more[section.Name] = await section.ReadAsync(userId, cancellationToken);
        }

        var data = new MyDataDto(
            account, signIn, sessions, plantList, devices, new MySharesDto(given, received),
            await organisations.ListAsync(userId, cancellationToken),
            await access.ListAsync(userId, cancellationToken),
            accounts, notifications,
            await requests.MineAsync(userId, cancellationToken),
            (await accessLog.HandleAsync(userId, null, MaxRows, cancellationToken)).Value!)
        {
            More = more,
        };
        // Reading one's own data is still an access to personal data: recorded, though "who accessed my data" leaves
        // out what the person did themselves.
        await audit.RecordAsync(new AuditRecord(AuditActions.MyDataViewed, AuditActor.User(userId), SubjectUserId: userId), cancellationToken);
        return data;
    }
}
