using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Security;

/// <summary>
/// Walks the real route table: every API route needs an authorisation policy unless it is on the short
/// anonymous list, and every route that takes an id answers a stranger exactly as it answers a missing id.
/// A new route with an unknown parameter fails here until the test's ids know it.
/// </summary>
public abstract class RouteAuthorizationTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly HashSet<string> AnonymousRoutes = new(StringComparer.Ordinal)
    {
        "POST /api/v1/account/register", "POST /api/v1/account/confirm-email", "POST /api/v1/account/confirm-email-change",
        "POST /api/v1/account/forgot-password", "POST /api/v1/account/reset-password",
        "POST /api/v1/auth/token", "POST /api/v1/auth/refresh",
        // The privacy contact and the supervisory authority, for anyone.
        "GET /api/v1/privacy/contact",
        // Authenticated by a plant's ingest key instead of a user (IngestTests hold it to that).
        "POST /api/v1/ingest/readings",
        // Authenticated by the single-use token mailed to a child's guardian (ChildAccountTests).
        "POST /api/v1/account/guardian-consent",
    };

    [Fact]
    public void EveryApiRoute_HasAnAuthorizationPolicy_OrIsListedAsAnonymous()
    {
        var routes = ApiRoutes.All(app);
        Assert.NotEmpty(routes);
        foreach (var (method, endpoint) in routes)
        {
            var key = ApiRoutes.Key(method, endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (AnonymousRoutes.Contains(key))
            {
                Assert.True(anonymous, $"{key} is listed as anonymous but does not allow anonymous callers");
            }
            else
            {
                Assert.False(anonymous, $"{key} allows anonymous callers but is not on the anonymous list");
                Assert.True(policies.Any(p => p.Policy is not null), $"{key} has no authorization policy");
            }
        }
    }

    [Fact]
    public async Task EveryRouteWithAnId_AnswersAStrangerLikeAMissingId_AndChangesNothing()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Owner's roof");
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct);
        var key = (await (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = "Collector" }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var webhook = (await (await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Owner's hook", url = "http://127.0.0.1:9/hook" }, Ct)).JsonAsync()).GetProperty("webhook").GetProperty("id").GetGuid();
        var delivery = (await (await owner.Client.PostAsync($"/api/v1/webhooks/{webhook}/test", null, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var rule = (await (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/alarm-rules", new { name = "Hot", metric = "radiatorTemperatureC", comparison = ">", threshold = 70 }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var alarm = (await app.RaiseAsync(plant, serial, "ID05", AlarmSeverity.Major, "Test")).Id;
        var account = (await (await owner.Client.PostAsJsonAsync("/api/v1/api-accounts", new { name = "Owner's partner" }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var limitRequest = (await (await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account}/limit-requests", new { limit = 20, reason = "More roofs" }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var inverter = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct);
        var operation = (await (await owner.Client.PostAsJsonAsync($"/api/v1/devices/{inverter}/operations", new { setting = "batteryDepthOfDischargePercent", value = 30 }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var support = await app.RegisterStaffAsync(Roles.Support);
        var accessRequest = (await (await support.Client.PostAsJsonAsync("/api/v1/access-requests", new { plantId = plant, scope = "view", reason = "Checking the inverter's faults", hours = 2 }, Ct)).JsonAsync()).GetProperty("id").GetGuid();
        var ownerId = await owner.UserIdAsync();
        var organisation = await owner.CreateOrganisationAsync("Owner's company");
        await app.InviteAsync(owner, organisation, Owners.UniqueEmail("staff"));
        var invitation = (await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}/invitations", Ct)).JsonAsync())[0].GetProperty("id").GetGuid();
        var share = await owner.ShareWithOrganisationAsync(plant, organisation);
        var privacyRequest = await owner.RequestAsync();
        var incident = await AccessWorld.IncidentNoticeAsync(app, ownerId);
        var foreignIds = new Dictionary<string, string>
        {
            ["plantId"] = plant.ToString(), ["serialNumber"] = serial, ["keyId"] = key.ToString(), ["webhookId"] = webhook.ToString(),
            ["deliveryId"] = delivery.ToString(), ["alarmId"] = alarm.ToString(), ["ruleId"] = rule.ToString(), ["accountId"] = account.ToString(),
            ["operationId"] = operation.ToString(), ["userId"] = ownerId.ToString(), ["role"] = Roles.Support, ["organisationId"] = organisation.ToString(),
            ["memberId"] = ownerId.ToString(), ["invitationId"] = invitation.ToString(), ["shareId"] = share.ToString(),
            ["version"] = "1.0",
            ["incidentId"] = incident.ToString(),
        };
        var tried = 0;

        foreach (var (method, endpoint) in ApiRoutes.All(app).Where(r => r.Endpoint.RoutePattern.Parameters.Count > 0))
        {
            var pattern = endpoint.RoutePattern.RawText!;
            var ids = new Dictionary<string, string>(foreignIds)
            {
                // Two kinds of request share a parameter name, and remote operations need an inverter.
                ["requestId"] = (pattern.Contains("api-limit-requests", StringComparison.Ordinal) ? limitRequest
                    : PrivacyRequests.IsPrivacyRequestRoute(pattern) ? privacyRequest : accessRequest).ToString(),
                ["serialNumber"] = pattern.Contains("/operations", StringComparison.Ordinal) || pattern.EndsWith("/settings", StringComparison.Ordinal) ? inverter : serial,
            };
            var foreign = ApiRoutes.Fill(endpoint, ids);
            var missing = ApiRoutes.Fill(endpoint, ids.ToDictionary(p => p.Key, p => p.Key switch
            {
                "serialNumber" => "2799999999",
                "role" => p.Value,
                _ => Guid.NewGuid().ToString(),
            }));
            var foreignResponse = await ApiRoutes.SendAsync(stranger.Client, method, foreign);
            var missingResponse = await ApiRoutes.SendAsync(stranger.Client, method, missing);
            // Behind a platform-role policy, a stranger without the role is turned away before any id is looked at.
            var expected = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is AccountsModule.AdminPolicy or AccountsModule.SupportPolicy or AccountsModule.PrivacyOfficerPolicy)
                ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;

            Assert.True(foreignResponse.StatusCode == expected, $"{method} {foreign} answered a stranger {(int)foreignResponse.StatusCode}");
            Assert.Equal(missingResponse.StatusCode, foreignResponse.StatusCode);
            Assert.Equal(await ApiRoutes.TitleAsync(missingResponse), await ApiRoutes.TitleAsync(foreignResponse));
            tried++;
        }

        Assert.True(tried >= 6, $"only {tried} routes with ids were tried");
        var stillThere = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).JsonAsync();
        Assert.Equal("Owner's roof", stillThere.GetProperty("name").GetString());
        Assert.Equal(plant, (await (await owner.Client.GetAsync($"/api/v1/devices/{serial}", Ct)).JsonAsync()).GetProperty("plantId").GetGuid());
        var keys = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/ingest-keys", Ct)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("rotatedAt").ValueKind);
        var hook = await (await owner.Client.GetAsync($"/api/v1/webhooks/{webhook}", Ct)).JsonAsync();
        Assert.Equal("Owner's hook", hook.GetProperty("name").GetString());
        var apiAccount = await (await owner.Client.GetAsync($"/api/v1/api-accounts/{account}", Ct)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, apiAccount.GetProperty("account").GetProperty("closedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, apiAccount.GetProperty("account").GetProperty("secretRotatedAt").ValueKind);
        Assert.Equal("pending", apiAccount.GetProperty("limitRequests")[0].GetProperty("state").GetString());
        var mine = await (await owner.Client.GetAsync($"/api/v1/me/requests/{privacyRequest}", Ct)).JsonAsync();
        Assert.Equal("received", mine.GetProperty("state").GetString());
        Assert.Equal(3, mine.GetProperty("codeAttemptsLeft").GetInt32());
        var asked = await (await owner.Client.GetAsync($"/api/v1/access-requests/{accessRequest}", Ct)).JsonAsync();
        Assert.Equal("pending", asked.GetProperty("state").GetString());
        var shares = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync();
        Assert.Equal("view", Assert.Single(shares.EnumerateArray(), s => s.GetProperty("id").GetGuid() == share).GetProperty("scope").GetString());
        var company = await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}", Ct)).JsonAsync();
        Assert.Equal("admin", company.GetProperty("role").GetString());
        Assert.Equal(1, (await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}/invitations", Ct)).JsonAsync()).GetArrayLength());
    }
}

public sealed class SqliteRouteAuthorizationTests(SqliteApp app) : RouteAuthorizationTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresRouteAuthorizationTests(PostgresApp app) : RouteAuthorizationTests(app), IClassFixture<PostgresApp>;
