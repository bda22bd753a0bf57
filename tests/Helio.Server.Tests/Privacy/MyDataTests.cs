using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Accounts;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// "My data" (GET /api/v1/me/data): everything Helio holds about the caller, section by section, decrypted for them —
/// and, asserted on the JSON itself, never a password hash, security stamp, 2FA secret, recovery code, blind index,
/// token, or webhook or client secret. Each read is audited.
/// </summary>
public abstract class MyDataTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Property names a secret would have, anywhere in the document.</summary>
    private static readonly string[] SecretNames =
    [
        "passwordHash", "securityStamp", "concurrencyStamp", "emailIndex", "phoneIndex", "authenticatorKey", "authenticatorKeyCipher", "sharedKey",
        "recoveryCodes", "recoveryCodeHashes", "refreshToken", "refreshTokenHash", "tokenHash", "secret", "secretCipher", "clientSecret", "codeHash",
        "emailCipher", "nameCipher", "wrappedKey", "p256dh", "auth",
    ];

    [Fact]
    public async Task MyData_HoldsEverything_AndNoSecret()
    {
        var owner = await app.RegisterOwnerAsync(phone: Owners.UniquePhone(), name: "Dana Sunshine");
        var ownerId = await owner.UserIdAsync();
        var plant = await owner.CreatePlantAsync("Dana's roof");
        (await owner.Client.PutAsJsonAsync($"/api/v1/plants/{plant}", new { name = "Dana's roof", latitude = 48.1, longitude = 11.6, timeZone = "Europe/Berlin", capacityKwp = 9.9, address = "Sonnenweg 7, München" }, Ct)).EnsureSuccessStatusCode();
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct)).EnsureSuccessStatusCode();
        var invitee = Owners.UniqueEmail("neighbour");
        (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email = invitee, scope = "view" }, Ct)).EnsureSuccessStatusCode();
        await owner.CreateOrganisationAsync("Dana's Solar Ltd");
        var apiAccount = await (await owner.Client.PostAsJsonAsync("/api/v1/api-accounts", new { name = "Dana's dashboard" }, Ct)).JsonAsync();
        var webhook = await (await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Home automation", url = "http://127.0.0.1:9/dana?token=abc123" }, Ct)).JsonAsync();
        var key = await TwoFactorTests.SetUpAsync(owner);
        var enabled = await (await owner.Client.PostAsJsonAsync("/api/v1/me/two-factor/enable", new { code = TwoFactorTests.CodeAt(key, Totp.StepAt(DateTimeOffset.UtcNow)) }, Ct)).JsonAsync();
        var recoveryCodes = enabled.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var request = await owner.RequestAsync(new { kind = "cancellation", text = "Moving house" });

        var response = await owner.Client.GetAsync("/api/v1/me/data", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var data = JsonDocument.Parse(text).RootElement;
        var account = data.GetProperty("account");
        Assert.Equal(owner.Email, account.GetProperty("email").GetString());
        Assert.Equal(owner.Phone, account.GetProperty("phone").GetString());
        Assert.Equal("Dana Sunshine", account.GetProperty("name").GetString());
        Assert.True(account.GetProperty("twoFactorEnabled").GetBoolean());
        Assert.Equal(0, data.GetProperty("signIn").GetProperty("failedPasswordsInARow").GetInt32());
        Assert.NotEmpty(data.GetProperty("sessions").EnumerateArray());
        var myPlant = Assert.Single(data.GetProperty("plants").EnumerateArray());
        Assert.Equal("Dana's roof", myPlant.GetProperty("name").GetString());
        Assert.Equal("Sonnenweg 7, München", myPlant.GetProperty("address").GetString());
        Assert.Equal(serial, Assert.Single(data.GetProperty("devices").EnumerateArray()).GetProperty("serialNumber").GetString());
        var given = Assert.Single(data.GetProperty("shares").GetProperty("given").EnumerateArray());
        Assert.Equal(invitee, Assert.Single(given.GetProperty("shares").EnumerateArray()).GetProperty("email").GetString());
        Assert.Equal("Dana's Solar Ltd", Assert.Single(data.GetProperty("organisations").EnumerateArray()).GetProperty("name").GetString());
        Assert.True(data.GetProperty("accessGrants").TryGetProperty("activeGrants", out _));
        Assert.Equal("Dana's dashboard", Assert.Single(data.GetProperty("apiAccounts").EnumerateArray()).GetProperty("account").GetProperty("name").GetString());
        var notifications = data.GetProperty("notifications");
        Assert.Equal("warning", notifications.GetProperty("settings").GetProperty("minSeverity").GetString());
        Assert.Equal("http://127.0.0.1:9/dana?token=abc123", Assert.Single(notifications.GetProperty("webhooks").EnumerateArray()).GetProperty("url").GetString());
        var mine = Assert.Single(data.GetProperty("requests").EnumerateArray());
        Assert.Equal(request, mine.GetProperty("id").GetGuid());
        Assert.Equal("Moving house", mine.GetProperty("details").GetProperty("text").GetString());
        Assert.True(data.GetProperty("accessLog").TryGetProperty("items", out _));
        // The sections other parts of the privacy centre add.
        var consents = data.GetProperty("consents");
        Assert.Contains(consents.GetProperty("current").EnumerateArray(), c => c.GetProperty("purpose").GetString() == "service" && c.GetProperty("given").GetBoolean());
        Assert.NotEmpty(consents.GetProperty("history").EnumerateArray());
        Assert.Equal(Owners.AdultBirthDate, data.GetProperty("birthAndRegion").GetProperty("dateOfBirth").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("birthAndRegion").GetProperty("guardianConsent").ValueKind);
        Assert.Empty(data.GetProperty("incidentNotices").EnumerateArray());

        // No secret, by name anywhere in the document or by value anywhere in its text.
        Assert.Empty(Names(data).Intersect(SecretNames, StringComparer.OrdinalIgnoreCase));
        User stored;
        await using (var scope = app.Scope())
        {
            stored = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == ownerId, Ct);
        }
        foreach (var secret in new[]
        {
            stored.PasswordHash!, stored.SecurityStamp, stored.ConcurrencyStamp, Convert.ToBase64String(stored.EmailIndex), Convert.ToBase64String(stored.PhoneIndex!),
            Convert.ToBase64String(stored.AuthenticatorKeyCipher!), Convert.ToBase64String(key), Totp.Base32(key), stored.RecoveryCodeHashes!.Split(';')[0],
            owner.RefreshToken, owner.AccessToken, webhook.GetProperty("secret").GetString()!, apiAccount.GetProperty("clientSecret").GetString()!,
        }.Concat(recoveryCodes))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var pseudonym = await app.PseudonymOfAsync(ownerId);
        var audited = Assert.Single(await app.AuditEntriesAsync(), e => e.Action == AuditActions.MyDataViewed && e.SubjectId == pseudonym);
        Assert.Equal(audited.ActorId, audited.SubjectId);
    }

    [Fact]
    public async Task MyData_IsTheCallersOwn()
    {
        var owner = await app.RegisterOwnerAsync(name: "Owner One");
        await owner.CreatePlantAsync("First roof");
        var other = await app.RegisterOwnerAsync(name: "Owner Two");

        var data = await (await other.Client.GetAsync("/api/v1/me/data", Ct)).JsonAsync();

        Assert.Equal(other.Email, data.GetProperty("account").GetProperty("email").GetString());
        Assert.Empty(data.GetProperty("plants").EnumerateArray());
        Assert.DoesNotContain("First roof", data.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/me/data", Ct)).StatusCode);
    }

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };
}

public sealed class SqliteMyDataTests(SqliteApp app) : MyDataTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresMyDataTests(PostgresApp app) : MyDataTests(app), IClassFixture<PostgresApp>;
