using System.Net;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Organisations;

/// <summary>
/// The organisation and sharing pages as a browser gets them (cookie session, plain form posts): who sees which page,
/// and that nobody sees an address that is not theirs to see.
/// </summary>
public abstract class OrganisationPagesTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OrganisationPage_ShowsAddressesToAdminsOnly_AndIsMissingForStrangers()
    {
        var admin = await app.RegisterOwnerAsync();
        var installer = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var organisation = await admin.CreateOrganisationAsync("Paged Solar");
        await app.JoinAsync(admin, organisation, installer);

        var adminPage = await (await app.SignedInAsync(admin)).GetStringAsync($"/organisations/{organisation}", Ct);
        Assert.Contains(installer.Email, adminPage, StringComparison.Ordinal);
        Assert.Contains("id=\"send-invitation\"", adminPage, StringComparison.Ordinal);

        var installerBrowser = await app.SignedInAsync(installer);
        var installerPage = await installerBrowser.GetAsync($"/organisations/{organisation}", Ct);
        Assert.Equal(HttpStatusCode.OK, installerPage.StatusCode);
        var html = await installerPage.Content.ReadAsStringAsync(Ct);
        Assert.Contains(organisation.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(admin.Email, html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"member-list\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"cancel-organisation\"", html, StringComparison.Ordinal);

        var strangerBrowser = await app.SignedInAsync(stranger);
        var foreign = await strangerBrowser.GetAsync($"/organisations/{organisation}", Ct);
        var missing = await strangerBrowser.GetAsync($"/organisations/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.DoesNotContain("Paged Solar", await foreign.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinPage_OffersTheButtonOnlyToTheInvitedAccount_AndJoins()
    {
        var admin = await app.RegisterOwnerAsync();
        var invitee = await app.RegisterOwnerAsync();
        var other = await app.RegisterOwnerAsync();
        var organisation = await admin.CreateOrganisationAsync("Joinable Solar");
        var token = await app.InviteAsync(admin, organisation, invitee.Email, "after-sales");
        var path = $"/organisations/join?token={Uri.EscapeDataString(token)}";

        var otherPage = await (await app.SignedInAsync(other)).GetStringAsync(path, Ct);
        Assert.Contains("id=\"other-address\"", otherPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"join\"", otherPage, StringComparison.Ordinal);
        var dead = await (await app.SignedInAsync(other)).GetAsync("/organisations/join?token=nonsense", Ct);
        Assert.Equal(HttpStatusCode.NotFound, dead.StatusCode);

        var browser = await app.SignedInAsync(invitee);
        Assert.Contains("after-sales engineer", await browser.GetStringAsync(path, Ct), StringComparison.Ordinal);
        var joined = await browser.PostFormAsync(path, "join");
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal($"/organisations/{organisation}", joined.Headers.Location!.AbsolutePath);
        var page = await browser.GetStringAsync($"/organisations/{organisation}", Ct);
        Assert.Contains("data-role=\"after-sales\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharingPage_IsTheOwners_TheGranteeOnlyGetsALeaveButton_StrangersA404()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Paged roof");
        var friend = await app.RegisterOwnerAsync();
        var viewer = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        await app.ShareWithPersonAsync(owner, plant, friend);
        await app.ShareWithPersonAsync(owner, plant, viewer);
        var path = $"/plants/{plant}/sharing";

        var ownerBrowser = await app.SignedInAsync(owner);
        var ownerPage = await ownerBrowser.GetStringAsync(path, Ct);
        Assert.Contains(friend.Email, ownerPage, StringComparison.Ordinal);
        Assert.Contains(viewer.Email, ownerPage, StringComparison.Ordinal);
        // The plant page links its owner to the sharing page (it loads on PostgreSQL again since sections have their own scope).
        Assert.Contains("id=\"sharing\"", await ownerBrowser.GetStringAsync($"/plants/{plant}", Ct), StringComparison.Ordinal);

        var friendBrowser = await app.SignedInAsync(friend);
        var friendPage = await friendBrowser.GetStringAsync(path, Ct);
        Assert.Contains("id=\"leave-share\"", friendPage, StringComparison.Ordinal);
        Assert.DoesNotContain(viewer.Email, friendPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"share-list\"", friendPage, StringComparison.Ordinal);

        var strangerBrowser = await app.SignedInAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync($"/plants/{Guid.NewGuid()}/sharing", Ct)).StatusCode);

        var left = await friendBrowser.PostFormAsync(path, "leave-share");
        Assert.Equal(HttpStatusCode.Redirect, left.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await friendBrowser.GetAsync($"/plants/{plant}", Ct)).StatusCode);
    }

    [Fact]
    public async Task SharingPage_RefusesABadOrganisationId_NextToTheField()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var browser = await app.SignedInAsync(owner);
        var path = $"/plants/{plant}/sharing";

        var malformed = await browser.PostFormAsync(path, "share-organisation", new() { ["OrganisationInput.OrganisationId"] = "not an id", ["OrganisationInput.Scope"] = "view" });
        var unknown = await browser.PostFormAsync(path, "share-organisation", new() { ["OrganisationInput.OrganisationId"] = Guid.NewGuid().ToString(), ["OrganisationInput.Scope"] = "view" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Contains("id=\"organisation-id-error\"", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("There is no organisation with this id", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

public sealed class SqliteOrganisationPagesTests(SqliteApp app) : OrganisationPagesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresOrganisationPagesTests(PostgresApp app) : OrganisationPagesTests(app), IClassFixture<PostgresApp>;
