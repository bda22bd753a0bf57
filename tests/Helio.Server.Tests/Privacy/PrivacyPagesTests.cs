using System.Net;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// The privacy pages as a browser gets them (cookie session from the sign-in form, forms posted with their antiforgery
/// token): My data, a request made and verified on its pages, the decisions page's way to a review, the public contact
/// page whose complaint form needs a sign-in, and the console that only privacy officers open and answer on.
/// </summary>
public abstract class PrivacyPagesTests(PrivacyApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MyDataPage_ShowsWhatHelioHolds_AndIsAudited()
    {
        var owner = await app.RegisterOwnerAsync(name: "Paula Pages");
        var plant = await owner.CreatePlantAsync("Paged roof");
        var browser = await app.SignedInAsync(owner);

        var page = await browser.GetAsync("/account/my-data", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains(owner.Email, html, StringComparison.Ordinal);
        Assert.Contains("Paula Pages", html, StringComparison.Ordinal);
        Assert.Contains("Paged roof", html, StringComparison.Ordinal);
        Assert.Contains(plant.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("id=\"section-accessLog\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("passwordHash", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await app.AuditEntriesAsync(), e => e.Action == AuditActions.MyDataViewed);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Anonymous().GetAsync("/account/my-data", Ct)).StatusCode);
    }

    [Fact]
    public async Task ARequest_IsMadeAndVerifiedOnItsPages()
    {
        var owner = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(owner);

        var wrong = await browser.PostFormAsync("/account/requests/new/deletion", "new-request", new() { ["Input.Ground"] = "no-longer-used", ["Input.Password"] = "not my password" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("id=\"password-error\"", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/account/requests/new/anything", Ct)).StatusCode);

        // A kind that waits for a privacy officer: a verified deletion goes on to the deletion job at once (DeletionPagesTests).
        var made = await browser.PostFormAsync("/account/requests/new/correction", "new-request",
            new() { ["Input.Data"] = "Readings", ["Input.Problem"] = "A spike at noon", ["Input.Password"] = owner.Password });

        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var path = made.Headers.Location!.OriginalString;
        var id = Guid.Parse(path[(path.LastIndexOf('/') + 1)..]);
        Assert.Contains("data-state=\"received\"", await browser.GetStringAsync(path, Ct), StringComparison.Ordinal);
        var badCode = await browser.PostFormAsync(path, "verify", new() { ["CodeInput.Code"] = "12" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCode.StatusCode);
        var verified = await browser.PostFormAsync(path, "verify", new() { ["CodeInput.Code"] = await app.CodeAsync(owner, id) });
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        var after = await browser.GetStringAsync(path, Ct);
        Assert.Contains("data-state=\"verified\"", after, StringComparison.Ordinal);
        Assert.Contains("id=\"due\"", after, StringComparison.Ordinal);
        Assert.Contains($"href=\"/account/requests/{id}\"", await browser.GetStringAsync("/account/my-data", Ct), StringComparison.Ordinal);

        var stranger = await app.SignedInAsync(await app.RegisterOwnerAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task TheDecisionsPage_LeadsToAReview()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Alarmed roof");
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        await owner.Client.PostAsync($"/api/v1/plants/{plant}/devices", System.Net.Http.Json.JsonContent.Create(new { serialNumber = serial, kind = "logger" }), Ct);
        var alarm = await app.RaiseAsync(plant, serial, "ID05", AlarmSeverity.Major, "Grid overvoltage");
        var browser = await app.SignedInAsync(owner);

        var decisions = await browser.GetStringAsync("/account/decisions", Ct);
        Assert.Contains("Grid overvoltage", decisions, StringComparison.Ordinal);
        Assert.Contains("inverter-fault-bit", decisions, StringComparison.Ordinal);
        var review = $"/account/requests/new/review?decision={Uri.EscapeDataString($"alarm:{alarm.Id}")}";
        Assert.Contains(review, decisions, StringComparison.Ordinal);

        var made = await browser.PostFormAsync(review, "new-request", new() { ["Input.Reason"] = "The grid was fine.", ["Input.Password"] = owner.Password });

        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        Assert.Contains($"alarm:{alarm.Id}", await browser.GetStringAsync(made.Headers.Location!.OriginalString, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContactPage_IsPublic_AndItsComplaintFormNeedsASignIn()
    {
        var anonymous = await app.Anonymous().GetAsync("/privacy/contact", Ct);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var html = WebUtility.HtmlDecode(await anonymous.Content.ReadAsStringAsync(Ct));
        Assert.Contains(PrivacyApp.ContactName, html, StringComparison.Ordinal);
        Assert.Contains(PrivacyApp.ContactEmail, html, StringComparison.Ordinal);
        Assert.Contains(PrivacyApp.Authority, html, StringComparison.Ordinal);
        Assert.Contains("id=\"sign-in-to-complain\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"complaint\"", html, StringComparison.Ordinal);

        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(owner);
        var empty = await browser.PostFormAsync("/privacy/contact", "complaint", new() { ["Input.Subject"] = "Marketing" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        var sent = await browser.PostFormAsync("/privacy/contact", "complaint", new() { ["Input.Subject"] = "Marketing mail", ["Input.Text"] = "I never agreed to it." });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var path = sent.Headers.Location!.OriginalString;
        var id = path[(path.LastIndexOf('/') + 1)..];
        var console = await (await app.SignedInAsync(officer)).GetStringAsync("/privacy/requests", Ct);
        Assert.Contains($"data-id=\"{id}\"", console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConsole_IsForPrivacyOfficers_WhoAnswerOnIt()
    {
        var owner = await app.RegisterOwnerAsync();
        var request = await app.VerifiedRequestAsync(owner, new { kind = "correction", data = "Readings", problem = "A spike of 90 kW" });
        var ownerPage = await app.SignedInAsync(owner);
        Assert.NotEqual(HttpStatusCode.OK, (await ownerPage.GetAsync("/privacy/requests", Ct)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await ownerPage.GetAsync($"/privacy/requests/{request}", Ct)).StatusCode);
        Assert.DoesNotContain("privacy-console-link", await ownerPage.GetStringAsync("/account/my-data", Ct), StringComparison.Ordinal);
        var officer = await app.SignedInAsync(await app.RegisterStaffAsync(Roles.PrivacyOfficer));

        var list = await officer.GetStringAsync("/privacy/requests", Ct);
        Assert.Contains($"data-id=\"{request}\"", list, StringComparison.Ordinal);
        Assert.Contains("privacy-console-link", list, StringComparison.Ordinal);
        var detail = await officer.GetStringAsync($"/privacy/requests/{request}", Ct);
        Assert.Contains("A spike of 90 kW", detail, StringComparison.Ordinal);
        Assert.Contains("id=\"repair-submit\"", detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync($"/privacy/requests/{request}", "start")).StatusCode);
        var refused = await officer.PostFormAsync($"/privacy/requests/{request}", "extend", new() { ["ExtendInput.Months"] = "2", ["ExtendInput.Reason"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync($"/privacy/requests/{request}", "complete",
            new() { ["CompleteInput.Outcome"] = "We found no spike in your readings." })).StatusCode);

        var seen = await ownerPage.GetStringAsync($"/account/requests/{request}", Ct);
        Assert.Contains("data-state=\"completed\"", seen, StringComparison.Ordinal);
        Assert.Contains("We found no spike in your readings.", seen, StringComparison.Ordinal);
    }
}

public sealed class SqlitePrivacyPagesTests(SqlitePrivacyApp app) : PrivacyPagesTests(app), IClassFixture<SqlitePrivacyApp>;

public sealed class PostgresPrivacyPagesTests(PostgresPrivacyApp app) : PrivacyPagesTests(app), IClassFixture<PostgresPrivacyApp>;
