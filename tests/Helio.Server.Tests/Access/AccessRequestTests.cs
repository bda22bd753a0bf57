using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Sharing;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Access;

/// <summary>
/// After-sales access through the API: who may ask, who may decide (never the requester), what a grant opens and that
/// its end bites on the very next request, with the same bearer token.
/// </summary>
public abstract class AccessRequestTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Support_SeesNothingOfThePlant_UntilTheOwnerApproves_ThenPlantDevicesTelemetryAndAlarms()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Barn roof");
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct)).StatusCode);
        await app.RaiseAsync(plant, serial, "ID05", AlarmSeverity.Major, "Leakage current fault");
        var support = await app.RegisterStaffAsync(Roles.Support);

        // Platform staff have no standing access: every plant route answers as for a missing plant.
        var routes = new[] { $"/api/v1/plants/{plant}", $"/api/v1/plants/{plant}/devices", $"/api/v1/devices/{serial}", $"/api/v1/plants/{plant}/overview", $"/api/v1/plants/{plant}/alarms", $"/api/v1/plants/{plant}/owner-contact" };
        foreach (var route in routes)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await support.Client.GetAsync(route, Ct)).StatusCode);
        }
        Assert.DoesNotContain(plant.ToString(), await support.Client.GetStringAsync("/api/v1/plants", Ct), StringComparison.Ordinal);

        var request = await support.RequestAsync(plant, "view", 24);
        var pending = await (await support.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync();
        Assert.Equal("pending", pending.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("plantName").ValueKind); // not even the plant's name yet
        foreach (var route in routes)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await support.Client.GetAsync(route, Ct)).StatusCode);
        }

        var approved = await owner.ActOkAsync(request, "approve");
        Assert.Equal("approved", approved.GetProperty("state").GetString());
        var startsAt = approved.GetProperty("startsAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(24), approved.GetProperty("endsAt").GetDateTimeOffset() - startsAt);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - startsAt).TotalMinutes) < 5, "the grant starts on approval");

        foreach (var route in routes)
        {
            Assert.Equal(HttpStatusCode.OK, (await support.Client.GetAsync(route, Ct)).StatusCode);
        }
        Assert.Contains(plant.ToString(), await support.Client.GetStringAsync("/api/v1/plants", Ct), StringComparison.Ordinal);
        Assert.Equal("Barn roof", (await (await support.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync()).GetProperty("plantName").GetString());
        // A view grant does not manage the plant.
        Assert.Equal(HttpStatusCode.NotFound, (await support.Client.PutAsJsonAsync($"/api/v1/plants/{plant}", new { name = "Mine now", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 1 }, Ct)).StatusCode);
    }

    [Fact]
    public async Task NeitherSupportNorAfterSales_GetsNotFound_LikeAMissingPlant()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var stranger = await app.RegisterOwnerAsync();
        var privacyOfficer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var support = await app.RegisterStaffAsync(Roles.Support);

        foreach (var caller in new[] { stranger, privacyOfficer })
        {
            var foreign = await caller.AskAsync(plant);
            var missing = await caller.AskAsync(Guid.NewGuid());
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(await TitleAsync(missing), await TitleAsync(foreign));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await support.AskAsync(Guid.NewGuid())).StatusCode);
        // The owner is asked about nothing.
        Assert.Empty((await ListAsync(owner)).GetProperty("awaitingDecision").EnumerateArray());
    }

    [Fact]
    public async Task InvalidRequests_NameTheField()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var support = await app.RegisterStaffAsync(Roles.Support);

        await AssertInvalidAsync(support, new { plantId = plant, scope = "admin", reason = AccessSetup.Reason, hours = 24 }, "scope");
        await AssertInvalidAsync(support, new { plantId = plant, scope = "view", reason = "too short", hours = 24 }, "reason");
        await AssertInvalidAsync(support, new { plantId = plant, scope = "view", reason = new string('x', 501), hours = 24 }, "reason");
        await AssertInvalidAsync(support, new { plantId = plant, scope = "view", reason = AccessSetup.Reason, hours = 0 }, "hours");
        await AssertInvalidAsync(support, new { plantId = plant, scope = "view", reason = AccessSetup.Reason, hours = 169 }, "hours");
        await AssertInvalidAsync(support, new { scope = "view", reason = AccessSetup.Reason, hours = 24 }, "plantId");
        // The limits themselves are accepted.
        Assert.Equal(HttpStatusCode.Created, (await support.Client.PostAsJsonAsync("/api/v1/access-requests", new { plantId = plant, scope = "operate", reason = new string('x', 10), hours = 168 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await support.Client.PostAsJsonAsync("/api/v1/access-requests", new { plantId = plant, scope = "view", reason = new string('x', 500), hours = 1 }, Ct)).StatusCode);
    }

    [Fact]
    public async Task AtMostFivePendingRequests_PerRequesterAndPlant()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var other = await owner.CreatePlantAsync("Other roof");
        var support = await app.RegisterStaffAsync(Roles.Support);
        var requests = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            requests.Add(await support.RequestAsync(plant));
        }

        var sixth = await support.AskAsync(plant);
        Assert.Equal(HttpStatusCode.Conflict, sixth.StatusCode);
        Assert.Equal(5, (await ListAsync(owner)).GetProperty("awaitingDecision").GetArrayLength());
        // Another plant, or another engineer, has its own count; a withdrawn or decided request frees a place.
        await support.RequestAsync(other);
        await (await app.RegisterStaffAsync(Roles.Support)).RequestAsync(plant);
        await support.ActOkAsync(requests[0], "revoke");
        await owner.ActOkAsync(requests[1], "deny");
        await support.RequestAsync(plant);
        await support.RequestAsync(plant);
        Assert.Equal(HttpStatusCode.Conflict, (await support.AskAsync(plant)).StatusCode);
    }

    [Fact]
    public async Task NewRequest_MailsTheOwnerALink_ApproveAndDeny_MailTheRequester_AndEveryStepIsAudited()
    {
        var owner = await app.RegisterOwnerAsync(name: "Ada Lovelace");
        var plant = await owner.CreatePlantAsync("Mill roof");
        var support = await app.RegisterStaffAsync(Roles.Support);
        var ownerId = await owner.UserIdAsync();
        var supportId = await support.UserIdAsync();

        var first = await support.RequestAsync(plant, "operate", 2);
        var asked = await app.Mail.WaitForAsync(owner.Email, "Access request for the plant Mill roof");
        Assert.Contains($"http://localhost/access-requests#request-{first}", asked.TextBody, StringComparison.Ordinal);
        Assert.Contains("view and operate", asked.TextBody, StringComparison.Ordinal);
        Assert.Contains("2 hours", asked.TextBody, StringComparison.Ordinal);
        // The requester appears masked, and the mail holds nobody's clear address or name.
        Assert.DoesNotContain(support.Email, asked.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(support.Email[0] + "***@e***.com", asked.TextBody, StringComparison.Ordinal);
        Assert.Null(asked.HtmlBody);

        await owner.ActOkAsync(first, "approve");
        var approved = await app.Mail.WaitForAsync(support.Email, "Your access request was approved");
        Assert.Contains("Mill roof", approved.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", approved.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Email, approved.TextBody, StringComparison.OrdinalIgnoreCase);

        var second = await support.RequestAsync(plant);
        var denied = await owner.ActOkAsync(second, "deny");
        Assert.Equal("denied", denied.GetProperty("state").GetString());
        Assert.True(denied.GetProperty("decidedAt").ValueKind == JsonValueKind.String);
        Assert.Equal(JsonValueKind.Null, denied.GetProperty("startsAt").ValueKind);
        var deniedMail = await app.Mail.WaitForAsync(support.Email, "Your access request was denied");
        Assert.DoesNotContain("Mill roof", deniedMail.TextBody, StringComparison.Ordinal);
        await owner.ActOkAsync(first, "revoke");

        var audit = await app.AuditAsync(plant);
        Assert.Equal(
            [AuditActions.AccessRequested, AuditActions.AccessApproved, AuditActions.AccessRequested, AuditActions.AccessDenied, AuditActions.AccessRevoked],
            audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(ownerId, e.Subject)); // the owner is whom each entry is about
        Assert.Equal([supportId, ownerId, supportId, ownerId, ownerId], audit.Select(e => e.Actor));
        Assert.Equal([first.ToString(), first.ToString(), second.ToString(), second.ToString(), first.ToString()], audit.Select(e => e.Target));
        Assert.All(audit, e => Assert.DoesNotContain("inverter", e.Detail ?? "", StringComparison.Ordinal)); // no reason in the trail
    }

    [Fact]
    public async Task DecidingTwice_Conflicts_AndAStrangerCannotTouchARequest()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var support = await app.RegisterStaffAsync(Roles.Support);
        var stranger = await app.RegisterOwnerAsync();
        var request = await support.RequestAsync(plant);

        foreach (var action in new[] { "approve", "deny", "revoke" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.ActAsync(request, action)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).StatusCode);
        var listed = await ListAsync(stranger);
        Assert.Empty(listed.GetProperty("requested").EnumerateArray());
        Assert.Empty(listed.GetProperty("awaitingDecision").EnumerateArray());

        // A pending request is denied by the owner, not revoked; once decided, it stays decided.
        Assert.Equal(HttpStatusCode.Conflict, (await owner.ActAsync(request, "revoke")).StatusCode);
        await owner.ActOkAsync(request, "approve");
        Assert.Equal(HttpStatusCode.Conflict, (await owner.ActAsync(request, "approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.ActAsync(request, "deny")).StatusCode);
        Assert.Equal("approved", (await (await owner.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Revoke_ByTheOwner_EndsAccessOnTheNextRequest_WithTheSameBearerToken()
    {
        var (owner, plant, engineer, request) = await app.GrantedAsync();
        Assert.Equal(HttpStatusCode.OK, (await engineer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        var revoked = await owner.ActOkAsync(request, "revoke");

        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.Client.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct)).StatusCode);
        await app.Mail.WaitForAsync(engineer.Email, "Your access to a plant was revoked");
        Assert.Equal(HttpStatusCode.Conflict, (await owner.ActAsync(request, "revoke")).StatusCode);
    }

    [Fact]
    public async Task Revoke_ByTheRequester_GivesAccessUp_AndWithdrawsAPendingRequest()
    {
        var (owner, plant, engineer, request) = await app.GrantedAsync();
        await engineer.ActOkAsync(request, "revoke");
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        var pending = await engineer.RequestAsync(plant);
        Assert.Equal("revoked", (await engineer.ActOkAsync(pending, "revoke")).GetProperty("state").GetString());
        Assert.Empty((await ListAsync(owner)).GetProperty("awaitingDecision").EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, (await owner.ActAsync(pending, "approve")).StatusCode);
    }

    [Fact]
    public async Task Lists_ShowTheRequesterTheirs_AndTheOwnerWhatAwaitsThem_AndTheLiveGrants()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Listed roof");
        var support = await app.RegisterStaffAsync(Roles.Support);
        var live = await support.RequestAsync(plant, "operate", 3);
        await owner.ActOkAsync(live, "approve");
        var waiting = await support.RequestAsync(plant);

        var mine = await ListAsync(support);
        Assert.Equal([waiting, live], mine.GetProperty("requested").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Empty(mine.GetProperty("awaitingDecision").EnumerateArray());
        var theirs = await ListAsync(owner);
        var awaiting = Assert.Single(theirs.GetProperty("awaitingDecision").EnumerateArray());
        Assert.Equal(waiting, awaiting.GetProperty("id").GetGuid());
        Assert.True(awaiting.GetProperty("canDecide").GetBoolean());
        Assert.Equal(AccessSetup.Reason, awaiting.GetProperty("reason").GetString());
        Assert.Equal("support", awaiting.GetProperty("requester").GetProperty("role").GetString());
        Assert.Equal(support.Email[0] + "***@e***.com", awaiting.GetProperty("requester").GetProperty("maskedEmail").GetString());
        Assert.DoesNotContain(support.Email, theirs.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var grant = Assert.Single(theirs.GetProperty("activeGrants").EnumerateArray());
        Assert.Equal(live, grant.GetProperty("id").GetGuid());
        Assert.Equal("operate", grant.GetProperty("scope").GetString());
        Assert.True(grant.GetProperty("canRevoke").GetBoolean());
        Assert.False(grant.GetProperty("canDecide").GetBoolean());
    }

    [Fact]
    public async Task AfterSalesEngineer_MayAskForAPlantSharedWithTheirOrganisation_Only()
    {
        var owner = await app.RegisterOwnerAsync();
        var shared = await owner.CreatePlantAsync("Shared roof");
        var unshared = await owner.CreatePlantAsync("Private roof");
        var organisation = await app.CreateOrganisationAsync("Sunny Installers");
        var engineer = await app.RegisterOwnerAsync();
        var installer = await app.RegisterOwnerAsync();
        await app.JoinAsync(organisation, engineer, OrganisationRole.AfterSales);
        await app.JoinAsync(organisation, installer, OrganisationRole.Installer);
        var share = await app.ShareAsync(shared, organisation, ShareScope.View);

        var response = await engineer.AskAsync(shared, "operate", 4);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var request = await response.JsonAsync();
        Assert.Equal("after-sales", request.GetProperty("requester").GetProperty("role").GetString());
        Assert.Equal(organisation, request.GetProperty("requester").GetProperty("organisationId").GetGuid());
        Assert.Equal("Sunny Installers", request.GetProperty("requester").GetProperty("organisationName").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.AskAsync(unshared)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await installer.AskAsync(shared)).StatusCode); // an installer is not after-sales

        await app.RevokeShareAsync(share);
        Assert.Equal(HttpStatusCode.NotFound, (await engineer.AskAsync(shared)).StatusCode);
    }

    [Fact]
    public async Task ManagingOrganisationAdmin_MayDecide_IsMailed_AndMayRevoke_ButAViewShareAdminMayNot()
    {
        var owner = await app.RegisterOwnerAsync();
        var managed = await owner.CreatePlantAsync("Managed roof");
        var viewed = await owner.CreatePlantAsync("Viewed roof");
        var manager = await app.CreateOrganisationAsync("Managers Ltd");
        var viewer = await app.CreateOrganisationAsync("Viewers Ltd");
        var managerAdmin = await app.RegisterOwnerAsync();
        var viewerAdmin = await app.RegisterOwnerAsync();
        await app.JoinAsync(manager, managerAdmin, OrganisationRole.Admin);
        await app.JoinAsync(viewer, viewerAdmin, OrganisationRole.Admin);
        await app.ShareAsync(managed, manager, ShareScope.Manage);
        await app.ShareAsync(viewed, viewer, ShareScope.View);
        var support = await app.RegisterStaffAsync(Roles.Support);

        var onManaged = await support.RequestAsync(managed);
        var onViewed = await support.RequestAsync(viewed);

        await app.Mail.WaitForAsync(managerAdmin.Email, "Access request for the plant Managed roof");
        Assert.Single((await ListAsync(managerAdmin)).GetProperty("awaitingDecision").EnumerateArray());
        Assert.Empty((await ListAsync(viewerAdmin)).GetProperty("awaitingDecision").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await viewerAdmin.ActAsync(onViewed, "approve")).StatusCode);

        var approved = await managerAdmin.ActOkAsync(onManaged, "approve");
        Assert.Equal("approved", approved.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await support.Client.GetAsync($"/api/v1/plants/{managed}", Ct)).StatusCode);
        await managerAdmin.ActOkAsync(onManaged, "revoke");
        Assert.Equal(HttpStatusCode.NotFound, (await support.Client.GetAsync($"/api/v1/plants/{managed}", Ct)).StatusCode);
        Assert.Equal(AuditActions.AccessRevoked, (await app.AuditAsync(managed))[^1].Action);
        Assert.Contains("organisation-admin", (await app.AuditAsync(managed))[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRequester_CannotDecideTheirOwnRequest_EvenAsAdminOfTheManagingOrganisation()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var organisation = await app.CreateOrganisationAsync();
        var adminAndSupport = await app.RegisterStaffAsync(Roles.Support);
        await app.JoinAsync(organisation, adminAndSupport, OrganisationRole.Admin);
        await app.ShareAsync(plant, organisation, ShareScope.Manage);
        var request = await adminAndSupport.RequestAsync(plant);

        var approve = await adminAndSupport.ActAsync(request, "approve");
        var deny = await adminAndSupport.ActAsync(request, "deny");

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deny.StatusCode);
        Assert.Contains("segregation of duties", await approve.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty((await ListAsync(adminAndSupport)).GetProperty("awaitingDecision").EnumerateArray());
        Assert.False((await (await adminAndSupport.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync()).GetProperty("canDecide").GetBoolean());
        // Not mailed to decide their own request either; the owner was.
        await app.Mail.WaitForAsync(owner.Email, "Access request");
        Assert.DoesNotContain(app.Mail.To(adminAndSupport.Email), m => m.Subject!.Contains("Access request", StringComparison.Ordinal));
        Assert.Equal("pending", (await (await owner.Client.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync()).GetProperty("state").GetString());
        await owner.ActOkAsync(request, "approve");
    }

    [Fact]
    public async Task AnOperateGrant_LetsTheEngineerOperate_AViewGrantDoesNot()
    {
        var (_, viewPlant, viewer, _) = await app.GrantedAsync("view");
        var (_, operatePlant, operatorEngineer, _) = await app.GrantedAsync("operate");
        await using var scope = app.Scope();
        var access = scope.ServiceProvider.GetRequiredService<PlantAccess>();

        Assert.False(await access.Operable(await viewer.UserIdAsync()).AnyAsync(p => p.Id == viewPlant, Ct));
        Assert.True(await access.Operable(await operatorEngineer.UserIdAsync()).AnyAsync(p => p.Id == operatePlant, Ct));
    }

    private async Task AssertInvalidAsync(Owner caller, object body, string field)
    {
        var response = await caller.Client.PostAsJsonAsync("/api/v1/access-requests", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}: {problem}");
    }

    private static async Task<JsonElement> ListAsync(Owner who) => await (await who.Client.GetAsync("/api/v1/access-requests", Ct)).JsonAsync();

    private static async Task<string?> TitleAsync(HttpResponseMessage response) => (await response.JsonAsync()).GetProperty("title").GetString();
}

public sealed class SqliteAccessRequestTests(SqliteApp app) : AccessRequestTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAccessRequestTests(PostgresApp app) : AccessRequestTests(app), IClassFixture<PostgresApp>;
