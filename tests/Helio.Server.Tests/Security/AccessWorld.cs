using System.Net.Http.Json;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Security;

/// <summary>
/// The people of the authorisation tests, one of each kind of caller, and a fresh plant of the owner's shared and
/// granted as their names say, with the objects a route's parameters name.
/// </summary>
public static class AccessWorld
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public enum Caller
    {
        Anonymous, Owner, Stranger, SharedViewer, SharedManager, OrganisationStaffWithoutShare,
        SupportWithoutGrant, SupportWithViewGrant, SupportWithExpiredGrant,
    }

    public sealed record Callers(IReadOnlyDictionary<Caller, HttpClient> Clients, IReadOnlyDictionary<Caller, Guid> Ids, Owner Owner)
    {
        public HttpClient this[Caller caller] => Clients[caller];
    }

    public static async Task<Callers> CallersAsync(HelioApp app)
    {
        var clients = new Dictionary<Caller, HttpClient> { [Caller.Anonymous] = app.Anonymous() };
        var ids = new Dictionary<Caller, Guid>();
        Owner? owner = null;
        foreach (var caller in Enum.GetValues<Caller>().Where(c => c != Caller.Anonymous))
        {
            var user = await app.RegisterOwnerAsync(name: caller.ToString());
            owner ??= user;
            clients[caller] = user.Client;
            ids[caller] = (await (await user.Client.GetAsync("/api/v1/me", Ct)).JsonAsync()).GetProperty("id").GetGuid();
        }
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        foreach (var support in new[] { Caller.SupportWithoutGrant, Caller.SupportWithViewGrant, Caller.SupportWithExpiredGrant })
        {
            db.UserRoles.Add(new UserRole { UserId = ids[support], Role = Roles.Support });
        }
        // An organisation's admin whose organisation holds no share of the plants below.
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Installers Ltd", CreatedBy = ids[Caller.OrganisationStaffWithoutShare], CreatedAt = DateTimeOffset.UtcNow };
        db.Organisations.Add(organisation);
        db.OrganisationMembers.Add(new OrganisationMember { OrganisationId = organisation.Id, UserId = ids[Caller.OrganisationStaffWithoutShare], Role = OrganisationRole.Admin, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(Ct);
        return new Callers(clients, ids, owner!);
    }

    /// <summary>A new plant of the owner, shared and granted as the callers' names say, with the objects the route's parameters name.</summary>
    public static async Task<Dictionary<string, string>> FixtureAsync(HelioApp app, Callers callers, RouteEndpoint endpoint)
    {
        if (endpoint.RoutePattern.Parameters.Count == 0)
        {
            return [];
        }
        var owner = callers.Owner.Client;
        var plant = await callers.Owner.CreatePlantAsync("Matrix roof");
        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var ownerId = callers.Ids[Caller.Owner];
            db.PlantShares.Add(new PlantShare { Id = Guid.NewGuid(), PlantId = plant, UserId = callers.Ids[Caller.SharedViewer], Scope = ShareScope.View, GrantedBy = ownerId, CreatedAt = now });
            db.PlantShares.Add(new PlantShare { Id = Guid.NewGuid(), PlantId = plant, UserId = callers.Ids[Caller.SharedManager], Scope = ShareScope.Manage, GrantedBy = ownerId, CreatedAt = now });
            db.AccessRequests.Add(Grant(plant, callers.Ids[Caller.SupportWithViewGrant], ownerId, now.AddHours(-1), now.AddHours(1)));
            db.AccessRequests.Add(Grant(plant, callers.Ids[Caller.SupportWithExpiredGrant], ownerId, now.AddHours(-3), now.AddHours(-1)));
            await db.SaveChangesAsync(Ct);
        }
        var ids = new Dictionary<string, string> { ["plantId"] = plant.ToString() };
        var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (parameters.Overlaps(["serialNumber", "alarmId"]))
        {
            var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
            (await owner.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct)).EnsureSuccessStatusCode();
            ids["serialNumber"] = serial;
            if (parameters.Contains("alarmId"))
            {
                ids["alarmId"] = (await app.RaiseAsync(plant, serial, "ID05", AlarmSeverity.Major, "Matrix")).Id.ToString();
            }
        }
        if (parameters.Contains("keyId"))
        {
            ids["keyId"] = await IdAsync(owner.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = "Collector" }, Ct), "id");
        }
        if (parameters.Contains("ruleId"))
        {
            ids["ruleId"] = await IdAsync(owner.PostAsJsonAsync($"/api/v1/plants/{plant}/alarm-rules", new { name = "Hot", metric = "radiatorTemperatureC", comparison = ">", threshold = 70 }, Ct), "id");
        }
        if (parameters.Overlaps(["webhookId", "deliveryId"]))
        {
            var webhook = await IdAsync(owner.PostAsJsonAsync("/api/v1/webhooks", new { name = "Matrix hook", url = "http://127.0.0.1:9/hook" }, Ct), "webhook", "id");
            ids["webhookId"] = webhook;
            if (parameters.Contains("deliveryId"))
            {
                ids["deliveryId"] = await IdAsync(owner.PostAsync($"/api/v1/webhooks/{webhook}/test", null, Ct), "id");
            }
        }
        return ids;
    }

    private static AccessRequest Grant(Guid plant, Guid requester, Guid owner, DateTimeOffset starts, DateTimeOffset ends) => new()
    {
        Id = Guid.NewGuid(), PlantId = plant, RequesterId = requester, Scope = AccessScope.View, ReasonCipher = [1],
        Hours = (int)(ends - starts).TotalHours, State = AccessRequestState.Approved, RequestedAt = starts,
        DecidedBy = owner, DecidedAt = starts, StartsAt = starts, EndsAt = ends,
    };

    private static async Task<string> IdAsync(Task<HttpResponseMessage> request, params string[] path)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, $"fixture request failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var element = await response.JsonAsync();
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }
        return element.GetGuid().ToString();
    }
}
