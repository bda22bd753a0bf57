using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Features.Sharing;
using Helio.Server.Tests.Access;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// What each optional purpose allows really stops when it is withdrawn: announcements (marketing), the page-view
/// counter (analytics) and shares with installer organisations (installer-sharing).
/// </summary>
public abstract class ConsentProcessingTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAnnouncement_ReachesOnlyThoseWhoseLatestMarketingConsentIsGiven()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var consenting = await app.RegisterOwnerAsync();
        var withdrawn = await app.RegisterOwnerAsync();
        var silent = await app.RegisterOwnerAsync();
        await consenting.ConsentAsync("marketing", true);
        await withdrawn.ConsentAsync("marketing", true);
        await withdrawn.ConsentAsync("marketing", false);
        var subject = "Helio news " + Guid.NewGuid().ToString("N")[..8];

        var sent = await admin.Client.PostAsJsonAsync("/api/v1/admin/announcements", new { subject, text = "Batteries are supported now." }, Ct);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var id = (await sent.JsonAsync()).GetProperty("id").GetGuid();
        var mail = await app.Mail.WaitForAsync(consenting.Email, subject);
        Assert.Contains("Batteries are supported now.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("http://localhost/account/privacy", mail.TextBody, StringComparison.Ordinal);
        // Once the mailing has walked every user, what was queued is final: nothing for the other two.
        await Eventually.True(async () => (await (await admin.Client.GetAsync("/api/v1/admin/announcements", Ct)).JsonAsync())
            .EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id).GetProperty("completedAt").ValueKind != System.Text.Json.JsonValueKind.Null, "the announcement's mailing to finish");
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var others = new[] { await withdrawn.UserIdAsync(), await silent.UserIdAsync() };
        Assert.False(await db.OutboxMails.AnyAsync(m => others.Contains(m.UserId) && m.Template == "announcement", Ct));
        Assert.DoesNotContain(app.Mail.All, m => m.Subject == subject && m.To.Mailboxes.Any(a => a.Address == withdrawn.Email || a.Address == silent.Email));
        Assert.Equal(HttpStatusCode.Forbidden, (await consenting.Client.PostAsJsonAsync("/api/v1/admin/announcements", new { subject, text = "Spam" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task PageViews_AreCountedOnlyWhileAnalyticsConsentIsGiven_AndHoldNoIdentity()
    {
        var owner = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(owner);
        const string page = "/api-accounts";

        await browser.GetStringAsync(page, Ct);
        var withoutConsent = await ViewsAsync(page);
        await owner.ConsentAsync("analytics", true);
        await browser.GetStringAsync(page, Ct);
        await browser.GetStringAsync(page, Ct);
        var withConsent = await ViewsAsync(page);
        await owner.ConsentAsync("analytics", false);
        await browser.GetStringAsync(page, Ct);
        var afterWithdrawal = await ViewsAsync(page);

        Assert.Equal(withoutConsent + 2, withConsent);
        Assert.Equal(withConsent, afterWithdrawal);
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var report = await (await admin.Client.GetAsync("/api/v1/admin/usage/page-views", Ct)).JsonAsync();
        Assert.Equal(withConsent, report.EnumerateArray().Where(r => r.GetProperty("page").GetString() == page).Sum(r => r.GetProperty("views").GetInt64()));
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/admin/usage/page-views", Ct)).StatusCode);
    }

    [Fact]
    public async Task SharingWithAnInstaller_NeedsTheConsent_AndWithdrawingItEndsTheShares_AfterConfirmation()
    {
        var owner = await app.RegisterOwnerAsync();
        var roof = await owner.CreatePlantAsync("Roof");
        var barn = await owner.CreatePlantAsync("Barn");
        var installer = await app.RegisterOwnerAsync();
        var organisation = await installer.CreateOrganisationAsync("Consent Solar");
        var neighbour = await app.RegisterOwnerAsync();

        var refused = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{roof}/shares", new { organisationId = organisation, scope = "view" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("installer-sharing", (await refused.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var roofShare = await owner.ShareWithOrganisationAsync(roof, organisation);
        await owner.ShareWithOrganisationAsync(barn, organisation);
        await app.ShareWithPersonAsync(owner, roof, neighbour);
        Assert.Equal(2, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());

        var unconfirmed = await owner.Client.PutAsJsonAsync("/api/v1/me/consents", new Dictionary<string, bool> { ["installer-sharing"] = false }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, unconfirmed.StatusCode);
        var problem = await unconfirmed.JsonAsync();
        Assert.Equal("installer-shares-would-end", problem.GetProperty("code").GetString());
        Assert.Contains(problem.GetProperty("shares").EnumerateArray(), s => s.GetProperty("shareId").GetGuid() == roofShare);
        Assert.Equal(2, problem.GetProperty("shares").GetArrayLength());
        Assert.True((await owner.ConsentsAsync()).Purpose("installer-sharing").GetProperty("given").GetBoolean());
        Assert.Equal(2, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());

        var confirmed = await owner.Client.PutAsJsonAsync("/api/v1/me/consents?endShares=true", new Dictionary<string, bool> { ["installer-sharing"] = false }, Ct);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.False((await confirmed.JsonAsync()).Purpose("installer-sharing").GetProperty("given").GetBoolean());
        Assert.Equal(0, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await installer.Client.GetAsync($"/api/v1/plants/{roof}", Ct)).StatusCode);
        // The owner's own invitation of a person is not installer sharing: it stays.
        Assert.Equal(HttpStatusCode.OK, (await neighbour.Client.GetAsync($"/api/v1/plants/{roof}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{roof}/shares", new { organisationId = organisation, scope = "view" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task ThePrivacyPage_ListsTheSharesAWithdrawalEnds_BeforeEndingThem()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Garage roof");
        var installer = await app.RegisterOwnerAsync();
        var organisation = await installer.CreateOrganisationAsync("Page Solar");
        await owner.ShareWithOrganisationAsync(plant, organisation);
        var browser = await app.SignedInAsync(owner);

        var asked = await browser.PostFormAsync("/account/privacy", "consent-installer-sharing");

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var confirmPath = new Uri(new Uri("http://localhost"), asked.Headers.Location!).PathAndQuery;
        Assert.Equal("/account/privacy?withdraw=installer-sharing", confirmPath);
        var confirmation = await browser.GetStringAsync(confirmPath, Ct);
        Assert.Contains("id=\"confirm-end-shares\"", confirmation, StringComparison.Ordinal);
        Assert.Contains("Garage roof", confirmation, StringComparison.Ordinal);
        Assert.Contains("Page Solar", confirmation, StringComparison.Ordinal);
        // Asked, not done: consent and share are as they were.
        Assert.True((await owner.ConsentsAsync()).Purpose("installer-sharing").GetProperty("given").GetBoolean());
        Assert.Equal(1, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());

        var ended = await browser.PostFormAsync(confirmPath, "confirm-end-shares");

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(0, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());
        Assert.False((await owner.ConsentsAsync()).Purpose("installer-sharing").GetProperty("given").GetBoolean());
    }

    [Fact]
    public async Task AnOrganisationShareFromBeforeConsentRecords_CanStillBeEndedByWithdrawing()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Old roof");
        var installer = await app.RegisterOwnerAsync();
        var organisation = await installer.CreateOrganisationAsync("Old Solar");
        await app.ShareAsync(plant, organisation, ShareScope.View); // as stored before this feature: no consent record
        Assert.False((await owner.ConsentsAsync()).Purpose("installer-sharing").GetProperty("given").GetBoolean());

        var asked = await owner.Client.PutAsJsonAsync("/api/v1/me/consents", new Dictionary<string, bool> { ["installer-sharing"] = false }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        var ended = await owner.Client.PutAsJsonAsync("/api/v1/me/consents?endShares=true", new Dictionary<string, bool> { ["installer-sharing"] = false }, Ct);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(0, (await OrganisationPlantsAsync(installer, organisation)).GetArrayLength());
        var latest = (await owner.ConsentHistoryAsync())[0];
        Assert.Equal(("installer-sharing", false), (latest.GetProperty("purpose").GetString(), latest.GetProperty("given").GetBoolean()));
    }

    private async Task<long> ViewsAsync(string page)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        return await db.PageViewCounts.Where(c => c.Page == page).SumAsync(c => c.Views, Ct);
    }

    private static async Task<System.Text.Json.JsonElement> OrganisationPlantsAsync(Owner member, Guid organisation) =>
        (await (await member.Client.GetAsync($"/api/v1/organisations/{organisation}/plants", Ct)).JsonAsync()).GetProperty("plants");
}

public sealed class SqliteConsentProcessingTests(SqliteApp app) : ConsentProcessingTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresConsentProcessingTests(PostgresApp app) : ConsentProcessingTests(app), IClassFixture<PostgresApp>;
