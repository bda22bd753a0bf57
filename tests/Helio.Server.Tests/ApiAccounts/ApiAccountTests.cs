using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.ApiAccounts;

/// <summary>
/// API accounts end to end over HTTP: an owner opens one, associates plants, and a third party gets tokens from
/// POST /connect/token (client credentials) that read those plants and nothing else, until the account is closed or
/// its secret rotated.
/// </summary>
public abstract class ApiAccountTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_RightSecret_IsIssuedForFifteenMinutes_WrongSecretOrUnknownClient_IsRefused()
    {
        var owner = await app.RegisterOwnerAsync();
        var account = await owner.OpenApiAccountAsync();

        var issued = await app.RequestTokenAsync(account.ClientId, account.Secret);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = await issued.JsonAsync();
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.InRange(token.GetProperty("expires_in").GetInt32(), 14 * 60, 15 * 60);
        Assert.False(token.TryGetProperty("refresh_token", out _));

        var wrong = await app.RequestTokenAsync(account.ClientId, account.Secret + "x");
        Assert.True(wrong.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"wrong secret: {(int)wrong.StatusCode}");
        Assert.Equal("invalid_client", (await wrong.JsonAsync()).GetProperty("error").GetString());
        var unknown = await app.RequestTokenAsync("hac_unknown", account.Secret);
        Assert.Equal("invalid_client", (await unknown.JsonAsync()).GetProperty("error").GetString());

        // The secret is stored hashed: neither the account row nor OpenIddict's client holds it.
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var stored = await db.Database.SqlQueryRaw<string>("SELECT \"ClientSecret\" AS \"Value\" FROM oauth_applications WHERE \"ClientId\" = {0}", account.ClientId).SingleAsync(Ct);
        Assert.DoesNotContain(account.Secret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ReadsItsPlantOnly_WithoutAddress_AndNoRouteWithPersonalData()
    {
        var owner = await app.RegisterOwnerAsync(name: "Jane Privatperson", phone: Owners.UniquePhone());
        var plantA = await CreatePlantWithAddressAsync(owner, "Roof A");
        var plantB = await owner.CreatePlantAsync("Roof B");
        var account = await owner.OpenApiAccountAsync();
        await owner.AssociateAsync(account, plantA);
        var api = await app.ApiTokenClientAsync(account);
        var answers = new List<string>();

        async Task<HttpStatusCode> GetAsync(string path)
        {
            var response = await api.GetAsync(path, Ct);
            answers.Add(await response.Content.ReadAsStringAsync(Ct));
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}"));
        var plant = JsonDocument.Parse(answers[^1]).RootElement;
        Assert.Equal("Roof A", plant.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, plant.GetProperty("address").ValueKind);
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}/overview"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}/power?date=2026-06-21"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}/energy?period=month&date=2026-06&format=csv"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}/devices"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync($"/api/v1/plants/{plantA}/alarms"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/api/v1/plants"));
        var list = JsonDocument.Parse(answers[^1]).RootElement.GetProperty("items");
        Assert.Equal([plantA], list.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));

        // Another plant of the same owner answers like a missing one.
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync($"/api/v1/plants/{plantB}"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync($"/api/v1/plants/{plantB}/overview"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync($"/api/v1/plants/{plantB}/devices"));

        // Routes with personal data (and every write) refuse the token outright.
        foreach (var path in new[] { "/api/v1/me", "/api/v1/notification-settings", "/api/v1/webhooks", "/api/v1/api-accounts", $"/api/v1/plants/{plantA}/ingest-keys", $"/api/v1/plants/{plantA}/alarm-rules" })
        {
            var status = await GetAsync(path);
            Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path} answered an API token {(int)status}");
        }
        var write = await api.PutAsJsonAsync($"/api/v1/plants/{plantA}", new { name = "Taken", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.DeleteAsync($"/api/v1/plants/{plantA}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsJsonAsync("/api/v1/api-accounts", new { name = "Child" }, Ct)).StatusCode);

        var all = string.Join("\n", answers);
        Assert.DoesNotContain(owner.Email, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Privatperson", all, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Phone![^6..], all, StringComparison.Ordinal);
        Assert.DoesNotContain("Sonnenweg", all, StringComparison.Ordinal);
        Assert.Equal("Roof B", (await (await owner.Client.GetAsync($"/api/v1/plants/{plantB}", Ct)).JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ClosedAccount_ItsTokenIsRefusedOnTheNextRequest_AndNoNewTokenIsIssued()
    {
        var (owner, plant, account, api) = await app.ThirdPartyReadingAPlantAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/api-accounts/{account.Id}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);
        Assert.Equal("invalid_client", (await (await app.RequestTokenAsync(account.ClientId, account.Secret)).JsonAsync()).GetProperty("error").GetString());
        var listed = await (await owner.Client.GetAsync($"/api/v1/api-accounts/{account.Id}", Ct)).JsonAsync();
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("account").GetProperty("closedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Client.PostAsync($"/api/v1/api-accounts/{account.Id}/rotate-secret", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { plantId = plant }, Ct)).StatusCode);
    }

    [Fact]
    public async Task RotatedSecret_OldSecretAndItsTokensStopAtOnce_NewSecretWorks()
    {
        var (owner, plant, account, oldApi) = await app.ThirdPartyReadingAPlantAsync();

        var rotated = await owner.Client.PostAsync($"/api/v1/api-accounts/{account.Id}/rotate-secret", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var secret = (await rotated.JsonAsync()).GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(account.Secret, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await oldApi.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal("invalid_client", (await (await app.RequestTokenAsync(account.ClientId, account.Secret)).JsonAsync()).GetProperty("error").GetString());
        var newApi = await app.ApiTokenClientAsync(account with { Secret = secret });
        Assert.Equal(HttpStatusCode.OK, (await newApi.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task RemovedPlant_IsNoLongerReadable()
    {
        var (owner, plant, account, api) = await app.ThirdPartyReadingAPlantAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/api-accounts/{account.Id}/plants/{plant}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.DeleteAsync($"/api/v1/api-accounts/{account.Id}/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task AManagersAccount_StopsReadingThePlant_WhenTheirShareEnds()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var installer = await app.RegisterOwnerAsync();
        var share = await app.ShareWithPersonAsync(owner, plant, installer, "manage");
        var account = await installer.OpenApiAccountAsync();
        await installer.AssociateAsync(account, plant);
        var api = await app.ApiTokenClientAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{share}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);
        Assert.DoesNotContain(plant.ToString(), await api.GetStringAsync("/api/v1/plants", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyPlantsTheCallerManages_CanBeAssociated()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var strangersPlant = await stranger.CreatePlantAsync();
        var account = await owner.OpenApiAccountAsync();

        var foreign = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { plantId = strangersPlant }, Ct);
        var missing = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { plantId = Guid.NewGuid() }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var invalid = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.JsonAsync()).GetProperty("errors").TryGetProperty("plantId", out _));
    }

    [Fact]
    public async Task PlantLimit_OfTen_409s_ThenAnAdminApprovesARaise_AndTheEleventhFits()
    {
        var owner = await app.RegisterOwnerAsync();
        var admin = await app.RegisterOwnerAsync();
        await app.MakeAdminAsync(admin);
        var account = await owner.OpenApiAccountAsync();
        var plants = new List<Guid>();
        for (var i = 0; i < 11; i++)
        {
            plants.Add(await owner.CreatePlantAsync($"Roof {i:00}"));
        }
        foreach (var plant in plants.Take(10))
        {
            await owner.AssociateAsync(account, plant);
        }

        var eleventh = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { plantId = plants[10] }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, eleventh.StatusCode);
        Assert.Contains("at most 10 plants", (await eleventh.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/limit-requests", new { limit = 10, reason = "More roofs" }, Ct)).StatusCode);
        var asked = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/limit-requests", new { limit = 25, reason = "Our fleet grows to 25 roofs" }, Ct);
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var requestId = (await asked.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/limit-requests", new { limit = 30, reason = "Again" }, Ct)).StatusCode);

        // Only platform admins see and decide the queue.
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/admin/api-limit-requests", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PostAsync($"/api/v1/admin/api-limit-requests/{requestId}/approve", null, Ct)).StatusCode);
        var queue = await (await admin.Client.GetAsync("/api/v1/admin/api-limit-requests", Ct)).JsonAsync();
        var entry = queue.EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == requestId);
        Assert.Equal("Our fleet grows to 25 roofs", entry.GetProperty("reason").GetString());
        Assert.Equal(10, entry.GetProperty("plantCount").GetInt32());
        Assert.DoesNotContain(owner.Email, queue.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var approved = await admin.Client.PostAsync($"/api/v1/admin/api-limit-requests/{requestId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", (await approved.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/v1/admin/api-limit-requests/{requestId}/deny", null, Ct)).StatusCode);

        await owner.AssociateAsync(account, plants[10]);
        var detail = await (await owner.Client.GetAsync($"/api/v1/api-accounts/{account.Id}", Ct)).JsonAsync();
        Assert.Equal(25, detail.GetProperty("account").GetProperty("plantLimit").GetInt32());
        Assert.Equal(11, detail.GetProperty("plants").GetArrayLength());
        Assert.Equal(1, await AuditCountAsync(AuditActions.ApiPlantLimitDecided, account.Id));
    }

    [Fact]
    public async Task AnAdmin_CannotDecideARequestAboutTheirOwnAccount()
    {
        var admin = await app.RegisterOwnerAsync();
        await app.MakeAdminAsync(admin);
        var account = await admin.OpenApiAccountAsync();
        var asked = await (await admin.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/limit-requests", new { limit = 50, reason = "Mine" }, Ct)).JsonAsync();

        var decided = await admin.Client.PostAsync($"/api/v1/admin/api-limit-requests/{asked.GetProperty("id").GetGuid()}/approve", null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, decided.StatusCode);
        var detail = await (await admin.Client.GetAsync($"/api/v1/api-accounts/{account.Id}", Ct)).JsonAsync();
        Assert.Equal(10, detail.GetProperty("account").GetProperty("plantLimit").GetInt32());
    }

    [Fact]
    public async Task PerAccountRateLimit_Answers429WithRetryAfter_AndOtherAccountsCarryOn()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var busy = await owner.OpenApiAccountAsync("Busy");
        var calm = await owner.OpenApiAccountAsync("Calm");
        await owner.AssociateAsync(busy, plant);
        await owner.AssociateAsync(calm, plant);
        var busyApi = await app.ApiTokenClientAsync(busy);
        var calmApi = await app.ApiTokenClientAsync(calm);

        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busyApi.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        }
        var limited = await busyApi.GetAsync($"/api/v1/plants/{plant}", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("Too many requests.", (await limited.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, (await calmApi.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        // People are not limited by API accounts' budgets.
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_AfterTenWrongSecrets_Answers429WithRetryAfter_EvenForTheRightOne()
    {
        var owner = await app.RegisterOwnerAsync();
        var account = await owner.OpenApiAccountAsync();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("invalid_client", (await (await app.RequestTokenAsync(account.ClientId, "has_wrong" + i)).JsonAsync()).GetProperty("error").GetString());
        }

        var throttled = await app.RequestTokenAsync(account.ClientId, account.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter is not null, "Retry-After");
        // Another client is not affected.
        var other = await owner.OpenApiAccountAsync("Other");
        Assert.Equal(HttpStatusCode.OK, (await app.RequestTokenAsync(other.ClientId, other.Secret)).StatusCode);
    }

    [Fact]
    public async Task DebugLog_ListsRecentRequests_WithRouteStatusAndProblem_ForTheOwnerOnly()
    {
        var (owner, plant, account, api) = await app.ThirdPartyReadingAPlantAsync();
        var stranger = await app.RegisterOwnerAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/plants/{plant}/power?date=yesterday", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/plants/{Guid.NewGuid()}", Ct)).StatusCode);

        JsonElement log = default;
        await Eventually.True(async () =>
        {
            log = await (await owner.Client.GetAsync($"/api/v1/api-accounts/{account.Id}/requests", Ct)).JsonAsync();
            return log.GetArrayLength() == 3;
        }, "three requests in the debug log");

        var entries = log.EnumerateArray().ToList();
        Assert.Equal("/api/v1/plants/{plantId:guid}", entries[0].GetProperty("route").GetString());
        Assert.Equal(404, entries[0].GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(entries[0].GetProperty("errorTitle").GetString()));
        Assert.Equal(400, entries[1].GetProperty("status").GetInt32());
        Assert.Equal("/api/v1/plants/{plantId:guid}/power", entries[1].GetProperty("route").GetString());
        Assert.Equal(200, entries[2].GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("errorTitle").ValueKind);
        Assert.Equal("GET", entries[2].GetProperty("method").GetString());
        Assert.DoesNotContain(plant.ToString(), log.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/api-accounts/{account.Id}/requests", Ct)).StatusCode);
    }

    [Fact]
    public async Task AccountChanges_AreAudited_WithoutPersonalData()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var account = await owner.OpenApiAccountAsync("Audited");
        await owner.AssociateAsync(account, plant);
        await owner.Client.DeleteAsync($"/api/v1/api-accounts/{account.Id}/plants/{plant}", Ct);
        await owner.Client.PostAsync($"/api/v1/api-accounts/{account.Id}/rotate-secret", null, Ct);
        await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/limit-requests", new { limit = 20, reason = "A private reason" }, Ct);
        await owner.Client.DeleteAsync($"/api/v1/api-accounts/{account.Id}", Ct);

        foreach (var action in new[] { AuditActions.ApiAccountOpened, AuditActions.ApiAccountPlantAdded, AuditActions.ApiAccountPlantRemoved, AuditActions.ApiAccountSecretRotated, AuditActions.ApiPlantLimitRequested, AuditActions.ApiAccountClosed })
        {
            Assert.Equal(1, await AuditCountAsync(action, account.Id));
        }
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var details = await db.AuditEntries.Where(e => e.Target == account.Id.ToString()).Select(e => e.Detail).ToListAsync(Ct);
        Assert.DoesNotContain(details, d => d != null && (d.Contains("private", StringComparison.Ordinal) || d.Contains("Audited", StringComparison.Ordinal)));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Target == account.Id.ToString() && e.PlantId == plant, Ct));
    }

    private async Task<int> AuditCountAsync(string action, Guid accountId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        return await db.AuditEntries.CountAsync(e => e.Action == action && e.Target == accountId.ToString(), Ct);
    }

    private static async Task<Guid> CreatePlantWithAddressAsync(Owner owner, string name)
    {
        var response = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name, latitude = 48.1, longitude = 11.6, address = "Sonnenweg 7, 80331 München", timeZone = "Europe/Berlin", capacityKwp = 9.9 }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}

public sealed class SqliteApiAccountTests(SqliteApp app) : ApiAccountTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresApiAccountTests(PostgresApp app) : ApiAccountTests(app), IClassFixture<PostgresApp>;
