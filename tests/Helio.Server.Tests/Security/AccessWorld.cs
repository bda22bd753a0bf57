using System.Net.Http.Json;
using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Privacy.Incidents;
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
        /// <summary>A third party's token for an API account of someone else's plant.</summary>
        ApiAccountOfAnotherPlant,
    }

    /// <param name="Operator">Not a caller: an engineer given an operate grant on a fixture's plant to request the
    /// operation that the owner then approves or rejects (nobody decides their own).</param>
    public sealed record Callers(IReadOnlyDictionary<Caller, HttpClient> Clients, IReadOnlyDictionary<Caller, Guid> Ids, Owner Owner, Owner Operator)
    {
        public HttpClient this[Caller caller] => Clients[caller];
    }

    public static async Task<Callers> CallersAsync(HelioApp app)
    {
        var clients = new Dictionary<Caller, HttpClient> { [Caller.Anonymous] = app.Anonymous() };
        var ids = new Dictionary<Caller, Guid>();
        Owner? owner = null;
        foreach (var caller in Enum.GetValues<Caller>().Where(c => c is not (Caller.Anonymous or Caller.ApiAccountOfAnotherPlant)))
        {
            var user = await app.RegisterOwnerAsync(name: caller.ToString());
            owner ??= user;
            clients[caller] = user.Client;
            ids[caller] = await user.UserIdAsync();
        }
        clients[Caller.ApiAccountOfAnotherPlant] = (await app.ThirdPartyReadingAPlantAsync()).Api;
        var engineer = await app.RegisterOwnerAsync(name: "Operator");
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        foreach (var support in new[] { Caller.SupportWithoutGrant, Caller.SupportWithViewGrant, Caller.SupportWithExpiredGrant })
        {
            db.UserRoles.Add(new UserRole { UserId = ids[support], Role = Roles.Support });
        }
        // An organisation's admin whose organisation holds no share of the plants below.
        AddOrganisation(db, ids[Caller.OrganisationStaffWithoutShare]);
        await db.SaveChangesAsync(Ct);
        return new Callers(clients, ids, owner!, engineer);
    }

    private static Guid AddOrganisation(HelioDbContext db, Guid admin)
    {
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Installers Ltd", CreatedBy = admin, CreatedAt = DateTimeOffset.UtcNow };
        db.Organisations.Add(organisation);
        db.OrganisationMembers.Add(new OrganisationMember { OrganisationId = organisation.Id, UserId = admin, Role = OrganisationRole.Admin, JoinedAt = DateTimeOffset.UtcNow });
        return organisation.Id;
    }

    /// <summary>
    /// A new plant of the owner, shared and granted as the callers' names say, with the objects the route's parameters
    /// name. Its <c>plantId</c> is there for every route: bodies that name a plant name this one.
    /// </summary>
    public static async Task<Dictionary<string, string>> FixtureAsync(HelioApp app, Callers callers, RouteEndpoint endpoint)
    {
        var owner = callers.Owner.Client;
        var plant = await callers.Owner.CreatePlantAsync("Matrix roof");
        var now = DateTimeOffset.UtcNow;
        var ownerId = callers.Ids[Caller.Owner];
        var viewerShare = Guid.NewGuid();
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            db.PlantShares.Add(new PlantShare { Id = viewerShare, PlantId = plant, UserId = callers.Ids[Caller.SharedViewer], Scope = ShareScope.View, GrantedBy = ownerId, CreatedAt = now });
            db.PlantShares.Add(new PlantShare { Id = Guid.NewGuid(), PlantId = plant, UserId = callers.Ids[Caller.SharedManager], Scope = ShareScope.Manage, GrantedBy = ownerId, CreatedAt = now });
            db.AccessRequests.Add(Grant(plant, callers.Ids[Caller.SupportWithViewGrant], ownerId, now.AddHours(-1), now.AddHours(1)));
            db.AccessRequests.Add(Grant(plant, callers.Ids[Caller.SupportWithExpiredGrant], ownerId, now.AddHours(-3), now.AddHours(-1)));
            await db.SaveChangesAsync(Ct);
        }
        var ids = new Dictionary<string, string> { ["plantId"] = plant.ToString(), ["shareId"] = viewerShare.ToString() };
        var pattern = endpoint.RoutePattern.RawText!;
        var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (parameters.Contains("serialNumber") && (pattern.Contains("/operations", StringComparison.Ordinal) || pattern.EndsWith("/settings", StringComparison.Ordinal)))
        {
            ids["serialNumber"] = await InverterAsync(owner, plant);
        }
        else if (parameters.Overlaps(["serialNumber", "alarmId"]))
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
        if (parameters.Overlaps(["organisationId", "memberId", "invitationId"]))
        {
            await ObjectsOfAnOrganisationAsync(app, callers, ids);
        }
        if (parameters.Contains("accountId") || pattern.Contains("api-limit-requests", StringComparison.Ordinal))
        {
            var account = await IdAsync(owner.PostAsJsonAsync("/api/v1/api-accounts", new { name = "Matrix partner" }, Ct), "id");
            (await owner.PostAsJsonAsync($"/api/v1/api-accounts/{account}/plants", new { plantId = plant }, Ct)).EnsureSuccessStatusCode();
            ids["accountId"] = account;
            ids["requestId"] = await IdAsync(owner.PostAsJsonAsync($"/api/v1/api-accounts/{account}/limit-requests", new { limit = 20, reason = "More roofs to watch" }, Ct), "id");
        }
        else if (parameters.Contains("requestId") && PrivacyRequests.IsPrivacyRequestRoute(pattern))
        {
            // A data-subject request of the owner's, waiting for its code.
            ids["requestId"] = (await callers.Owner.RequestAsync()).ToString();
        }
        else if (parameters.Contains("requestId"))
        {
            // An after-sales request of the support engineer without a grant, waiting for the owner.
            ids["requestId"] = await IdAsync(callers[Caller.SupportWithoutGrant].PostAsJsonAsync("/api/v1/access-requests", new { plantId = plant, scope = "view", reason = "Checking the inverter's faults", hours = 2 }, Ct), "id");
        }
        if (parameters.Contains("operationId"))
        {
            // A dangerous operation requested by an engineer with an operate grant: it waits for a second person.
            var inverter = await InverterAsync(owner, plant);
            await app.GrantAsync(plant, await callers.Operator.UserIdAsync(), AccessScope.Operate, ownerId);
            ids["operationId"] = await IdAsync(callers.Operator.Client.PostAsJsonAsync($"/api/v1/devices/{inverter}/operations", new { setting = DangerousSetting, value = 30 }, Ct), "id");
        }
        if (parameters.Contains("version"))
        {
            ids["version"] = "1.0"; // the policy version every Helio starts with
        }
        if (parameters.Contains("incidentId"))
        {
            ids["incidentId"] = (await IncidentNoticeAsync(app, ownerId)).ToString();
        }
        if (parameters.Contains("userId"))
        {
            ids["userId"] = ownerId.ToString();
            ids["role"] = Roles.Support;
        }
        return ids;
    }

    /// <summary>A security incident, as the privacy officer records it, whose notice <paramref name="userId"/> got.</summary>
    public static async Task<Guid> IncidentNoticeAsync(HelioApp app, Guid userId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var now = DateTimeOffset.UtcNow;
        var incident = new SecurityIncident
        {
            Id = Guid.NewGuid(), Title = "Matrix incident", DiscoveredAt = now, Description = "d", DataCategories = "contact", Affected = """{"kind":"all"}""",
            LikelyConsequences = "c", MeasuresTaken = "m", Advice = "a", Contact = "privacy@example.com", RecordedAt = now, UpdatedAt = now,
        };
        db.Add(incident);
        db.Add(new IncidentNotice { IncidentId = incident.Id, UserId = userId, CreatedAt = now });
        await db.SaveChangesAsync(Ct);
        return incident.Id;
    }

    /// <summary>A setting the register map marks dangerous (a second person approves it).</summary>
    public const string DangerousSetting = "batteryDepthOfDischargePercent";

    private static async Task<string> InverterAsync(HttpClient owner, Guid plant)
    {
        var inverter = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await owner.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        return inverter;
    }

    /// <summary>A new organisation of the organisation staff caller (its admin), with a second member and an open invitation.</summary>
    private static async Task ObjectsOfAnOrganisationAsync(HelioApp app, Callers callers, Dictionary<string, string> ids)
    {
        var member = await app.RegisterOwnerAsync(name: "Member");
        var memberId = await member.UserIdAsync();
        Guid organisation;
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            organisation = AddOrganisation(db, callers.Ids[Caller.OrganisationStaffWithoutShare]);
            db.OrganisationMembers.Add(new OrganisationMember { OrganisationId = organisation, UserId = memberId, Role = OrganisationRole.Installer, JoinedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        ids["organisationId"] = organisation.ToString();
        ids["memberId"] = memberId.ToString();
        ids["invitationId"] = await IdAsync(callers[Caller.OrganisationStaffWithoutShare].PostAsJsonAsync(
            $"/api/v1/organisations/{organisation}/invitations", new { email = Owners.UniqueEmail("invitee"), role = "installer" }, Ct), "id");
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
