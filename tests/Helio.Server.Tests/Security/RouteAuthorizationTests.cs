using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Alarms;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Security;

/// <summary>
/// Walks the real route table: every API route needs an authorisation policy unless it is on the short
/// anonymous list, and every route that takes an id answers a stranger exactly as it answers a missing id.
/// A new route with an unknown parameter fails here until it is added to <see cref="Fill"/>.
/// </summary>
public abstract class RouteAuthorizationTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "POST /api/v1/account/register", "POST /api/v1/account/confirm-email", "POST /api/v1/account/confirm-email-change",
        "POST /api/v1/account/forgot-password", "POST /api/v1/account/reset-password",
        "POST /api/v1/auth/token", "POST /api/v1/auth/refresh",
        // Authenticated by a plant's ingest key instead of a user (IngestTests hold it to that).
        "POST /api/v1/ingest/readings",
    };

    private IEnumerable<(string Method, RouteEndpoint Endpoint)> ApiRoutes()
    {
        app.RequireAvailable();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)));
    }

    private static string Key(string method, RouteEndpoint e) => $"{method} {e.RoutePattern.RawText!.TrimEnd('/')}";

    [Fact]
    public void EveryApiRoute_HasAnAuthorizationPolicy_OrIsListedAsAnonymous()
    {
        var routes = ApiRoutes().ToList();
        Assert.NotEmpty(routes);
        foreach (var (method, endpoint) in routes)
        {
            var key = Key(method, endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (Anonymous.Contains(key))
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
        var organisation = await owner.CreateOrganisationAsync("Owner's company");
        var member = await Installers.UserIdAsync(owner);
        await app.InviteAsync(owner, organisation, Owners.UniqueEmail("staff"));
        var invitation = (await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}/invitations", Ct)).JsonAsync())[0].GetProperty("id").GetGuid();
        var share = await owner.ShareWithOrganisationAsync(plant, organisation);
        var tried = 0;

        foreach (var (method, endpoint) in ApiRoutes().Where(r => r.Endpoint.RoutePattern.Parameters.Count > 0))
        {
            var foreign = Fill(endpoint, plant, serial, key, webhook, delivery, alarm, rule, organisation, member, invitation, share);
            var missing = Fill(endpoint, Guid.NewGuid(), "2799999999", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            var foreignResponse = await SendAsync(stranger.Client, method, foreign);
            var missingResponse = await SendAsync(stranger.Client, method, missing);

            Assert.True(foreignResponse.StatusCode == HttpStatusCode.NotFound, $"{method} {foreign} answered a stranger {(int)foreignResponse.StatusCode}");
            Assert.Equal(missingResponse.StatusCode, foreignResponse.StatusCode);
            Assert.Equal(await TitleAsync(missingResponse), await TitleAsync(foreignResponse));
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
        var shares = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync();
        Assert.Equal("view", Assert.Single(shares.EnumerateArray(), s => s.GetProperty("id").GetGuid() == share).GetProperty("scope").GetString());
        var company = await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}", Ct)).JsonAsync();
        Assert.Equal("admin", company.GetProperty("role").GetString());
        Assert.Equal(1, (await (await owner.Client.GetAsync($"/api/v1/organisations/{organisation}/invitations", Ct)).JsonAsync()).GetArrayLength());
    }

    private static string Fill(RouteEndpoint endpoint, Guid plantId, string serial, Guid keyId, Guid webhookId, Guid deliveryId, Guid alarmId, Guid ruleId,
        Guid organisationId, Guid memberId, Guid invitationId, Guid shareId)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "plantId" => plantId.ToString(),
                "serialNumber" => serial,
                "keyId" => keyId.ToString(),
                "webhookId" => webhookId.ToString(),
                "deliveryId" => deliveryId.ToString(),
                "alarmId" => alarmId.ToString(),
                "ruleId" => ruleId.ToString(),
                "organisationId" => organisationId.ToString(),
                "memberId" => memberId.ToString(),
                "invitationId" => invitationId.ToString(),
                "shareId" => shareId.ToString(),
                _ => throw new Xunit.Sdk.XunitException($"Route {path} takes '{parameter.Name}': teach RouteAuthorizationTests how to fill it."),
            };
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
        }
        return path;
    }

    /// <summary>Sends a body that the owner could have sent successfully, so that only authorisation can refuse it.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) => method switch
    {
        "GET" => client.GetAsync(path, Ct),
        "DELETE" => client.DeleteAsync(path, Ct),
        _ => client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            // Notification settings take "email" as a switch; invitations and shares as an address.
            Content = path.Contains("/organisations/", StringComparison.Ordinal) || path.Contains("/shares", StringComparison.Ordinal)
                ? JsonContent.Create(new { email = "invitee@example.com", role = "installer", scope = "manage" })
                : JsonContent.Create(new
                {
                    name = "Taken over", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 1,
                    serialNumber = "27" + Random.Shared.Next(10_000_000, 99_999_999), kind = "logger", model = "X",
                    reason = "Taken over", minSeverity = "info", url = "http://127.0.0.1:9/other",
                    metric = "activePowerW", comparison = ">", threshold = 1, durationSeconds = 0, severity = "info",
                    underperformancePercent = 50, offlineAfterMinutes = 30,
                }),
        }, Ct),
    };

    private static async Task<string?> TitleAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return text.Length == 0 ? null : System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("title").GetString();
    }
}

public sealed class SqliteRouteAuthorizationTests(SqliteApp app) : RouteAuthorizationTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresRouteAuthorizationTests(PostgresApp app) : RouteAuthorizationTests(app), IClassFixture<PostgresApp>;
