using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Organisations;

/// <summary>
/// Owners' shares through the API: with a person by a mailed invitation that becomes a share when accepted, scope
/// changes, ending a share from either side, and who hears about a shared plant's alarms.
/// </summary>
public abstract class SharingTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APerson_SeesThePlantOnlyAfterAccepting_AndTheOwnerSeesWhomTheyInvited()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Family roof");
        var friend = await app.RegisterOwnerAsync();

        var token = await app.InviteToShareAsync(owner, plant, friend.Email, "view");

        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        var pending = Assert.Single((await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync()).EnumerateArray());
        Assert.Equal("pending", pending.GetProperty("state").GetString());
        Assert.Equal(friend.Email, pending.GetProperty("email").GetString());

        var accepted = await friend.Client.PostAsJsonAsync("/api/v1/share-invitations/accept", new { token }, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(plant, (await accepted.JsonAsync()).GetProperty("plantId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await friend.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        var active = Assert.Single((await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync()).EnumerateArray());
        Assert.Equal("active", active.GetProperty("state").GetString());
        Assert.Equal("view", active.GetProperty("scope").GetString());
        Assert.Equal(friend.Email, active.GetProperty("email").GetString());

        // The list is the owner's: to the person it is shared with, it is as missing as to anyone.
        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.PutAsJsonAsync($"/api/v1/plants/{plant}/shares/{active.GetProperty("id").GetGuid()}", new { scope = "manage" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await friend.Client.PostAsJsonAsync("/api/v1/share-invitations/accept", new { token }, Ct)).StatusCode);
    }

    [Fact]
    public async Task SharingWithAnAddress_AnswersAlikeWhetherItHasAnAccount_AndOnlyThatAccountCanAccept()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var registered = await app.RegisterOwnerAsync();
        var unknown = Owners.UniqueEmail("nobody");

        var toRegistered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email = registered.Email, scope = "view" }, Ct);
        var toUnknown = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email = unknown, scope = "view" }, Ct);

        Assert.Equal(HttpStatusCode.Created, toRegistered.StatusCode);
        Assert.Equal(HttpStatusCode.Created, toUnknown.StatusCode);
        Assert.Equal("pending", (await toRegistered.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal("pending", (await toUnknown.JsonAsync()).GetProperty("state").GetString());
        await app.Mail.WaitForAsync(unknown, "shared with you");
        var token = Owners.LinkQuery((await app.Mail.WaitForAsync(registered.Email, "shared with you")).TextBody!, "/shares/accept", "token");

        var stranger = await app.RegisterOwnerAsync();
        var stolen = await stranger.Client.PostAsJsonAsync("/api/v1/share-invitations/accept", new { token }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        var own = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email = owner.Email.ToUpperInvariant(), scope = "view" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.True((await own.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        var both = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/shares", new { email = unknown, organisationId = Guid.NewGuid(), scope = "view" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
    }

    [Fact]
    public async Task ScopeChangesAndRevocation_TakeEffectOnTheNextRequest()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var helper = await app.RegisterOwnerAsync();
        var share = await app.ShareWithPersonAsync(owner, plant, helper, "view");

        Assert.Equal(HttpStatusCode.NotFound, (await helper.Client.PutAsJsonAsync($"/api/v1/plants/{plant}/alarm-settings", new { underperformancePercent = 50, offlineAfterMinutes = 30 }, Ct)).StatusCode);
        var changed = await owner.Client.PutAsJsonAsync($"/api/v1/plants/{plant}/shares/{share}", new { scope = "manage" }, Ct);
        Assert.Equal("manage", (await changed.JsonAsync()).GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.OK, (await helper.Client.PutAsJsonAsync($"/api/v1/plants/{plant}/alarm-settings", new { underperformancePercent = 50, offlineAfterMinutes = 30 }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{share}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await helper.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Empty((await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync()).EnumerateArray());

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var actions = await db.AuditEntries.Where(e => e.Target == share.ToString()).OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal([AuditActions.ShareCreated, AuditActions.ShareScopeChanged, AuditActions.ShareRevoked], actions);
    }

    [Fact]
    public async Task TheGrantee_CanEndTheirOwnShare_AnOrganisationAdminTheOrganisations_NobodyElseAny()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var friend = await app.RegisterOwnerAsync();
        var admin = await app.RegisterOwnerAsync();
        var installer = await app.RegisterOwnerAsync();
        var organisation = await admin.CreateOrganisationAsync();
        await app.JoinAsync(admin, organisation, installer);
        var personal = await app.ShareWithPersonAsync(owner, plant, friend);
        var organisational = await owner.ShareWithOrganisationAsync(plant, organisation);

        // Each sees the plant, but only its own share is theirs to end.
        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{organisational}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await installer.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{organisational}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{personal}", Ct)).StatusCode);
        Assert.Equal(2, (await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync()).GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{organisational}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await installer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await friend.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{personal}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task WithdrawingAPendingInvitation_KillsItsLink()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var friend = await app.RegisterOwnerAsync();
        var token = await app.InviteToShareAsync(owner, plant, friend.Email);
        var invitation = Assert.Single((await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/shares", Ct)).JsonAsync()).EnumerateArray()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{invitation}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{invitation}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await friend.Client.PostAsJsonAsync("/api/v1/share-invitations/accept", new { token }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await friend.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task AShareIsTold_AboutTheAlarms_AnEndedShareIsNot()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Alarming roof");
        var friend = await app.RegisterOwnerAsync();
        var admin = await app.RegisterOwnerAsync();
        var installer = await app.RegisterOwnerAsync();
        var former = await app.RegisterOwnerAsync();
        var organisation = await admin.CreateOrganisationAsync();
        await app.JoinAsync(admin, organisation, installer);
        await app.ShareWithPersonAsync(owner, plant, friend);
        await owner.ShareWithOrganisationAsync(plant, organisation);
        var ended = await app.ShareWithPersonAsync(owner, plant, former);
        (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}/shares/{ended}", Ct)).EnsureSuccessStatusCode();
        var stranger = await app.RegisterOwnerAsync();

        await app.RaiseAsync(plant, "SS1ES123456789", "ID05", AlarmSeverity.Major, "Leakage current fault");

        foreach (var told in new[] { owner, friend, admin, installer })
        {
            await app.Mail.WaitForAsync(told.Email, "Leakage current fault");
        }
        // By then the one batch that told everyone has been written: nobody else is in it.
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var formerId = await former.UserIdAsync();
        var strangerId = await stranger.UserIdAsync();
        Assert.False(await db.Notifications.AnyAsync(n => n.UserId == formerId || n.UserId == strangerId, Ct));
        Assert.DoesNotContain(app.Mail.To(former.Email), m => m.Subject!.Contains("Leakage", StringComparison.Ordinal));
    }
}

public sealed class SqliteSharingTests(SqliteApp app) : SharingTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresSharingTests(PostgresApp app) : SharingTests(app), IClassFixture<PostgresApp>;
