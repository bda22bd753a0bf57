using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// A material change: every user is mailed the summary and a link, then held — web pages lead to the acceptance page,
/// API calls answer 403 saying what to accept and where — until they accept, which records a consent. A minor change:
/// a banner, until the person dismisses it, stored for them rather than in a cookie.
/// </summary>
public abstract partial class PolicyAcceptanceTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMaterialChange_IsMailedToEveryone_AndHoldsWebAndApi_UntilAccepted()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var other = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(other);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/plants", Ct)).StatusCode);

        var version = await officer.PublishNewAsync(material: true, summary: "Installers now see alarm history.");

        foreach (var user in new[] { owner, other })
        {
            var mail = await app.Mail.WaitForAsync(user.Email, "privacy policy changes");
            Assert.Contains("Installers now see alarm history.", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains($"http://localhost/privacy/versions/{version}", mail.TextBody, StringComparison.Ordinal);
        }
        // The API: a problem that says what to accept and where.
        var held = await owner.Client.GetAsync("/api/v1/plants", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, held.StatusCode);
        var problem = await held.JsonAsync();
        Assert.Equal("policy-acceptance-required", problem.GetProperty("code").GetString());
        Assert.Equal(version, problem.GetProperty("version").GetString());
        Assert.Equal("/api/v1/me/policy/accept", problem.GetProperty("accept").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name = "New roof", latitude = 48.1, longitude = 11.6, timeZone = "Europe/Berlin" }, Ct)).StatusCode);
        // What stays open: reading the policy, one's consents, the standing itself.
        Assert.True((await owner.StandingAsync()).GetProperty("acceptanceRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/me/consents", Ct)).StatusCode);
        // And their rights: one who will not accept can still see their data, ask for a copy, leave, complain.
        foreach (var route in new[] { "/api/v1/me/data", "/api/v1/me/requests", "/api/v1/me/decisions" })
        {
            Assert.True((await owner.Client.GetAsync(route, Ct)).StatusCode == HttpStatusCode.OK, route);
        }
        // The web: every signed-in page leads to the acceptance page, which leads back.
        var page = await browser.GetAsync("/plants?view=list", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/privacy/accept?returnUrl=%2Fplants%3Fview%3Dlist", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/privacy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/privacy", Ct)).StatusCode);
        foreach (var path in new[] { "/account/my-data", "/account/decisions", "/account/requests/new/cancellation" })
        {
            Assert.True((await browser.GetAsync(path, Ct)).StatusCode == HttpStatusCode.OK, path);
        }

        // Only the version in force can be accepted.
        var wrong = await owner.Client.PostAsJsonAsync("/api/v1/me/policy/accept", new { version = "1.0" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.JsonAsync()).GetProperty("errors").TryGetProperty("version", out _));
        await owner.AcceptAsync(version);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/plants", Ct)).StatusCode);
        var accepted = (await owner.ConsentHistoryAsync())[0];
        Assert.Equal(("service", true, "api", version), (accepted.GetProperty("purpose").GetString(), accepted.GetProperty("given").GetBoolean(),
            accepted.GetProperty("method").GetString(), accepted.GetProperty("policyVersion").GetString()));
        Assert.Equal(version, (await (await owner.Client.GetAsync("/api/v1/me", Ct)).JsonAsync()).GetProperty("acceptedPolicyVersion").GetString());

        var form = await browser.PostFormAsync("/privacy/accept?returnUrl=%2Fplants", "accept-policy");
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.Equal("/plants", new Uri(new Uri("http://localhost"), form.Headers.Location!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/plants", Ct)).StatusCode);
        Assert.Equal("web", (await other.ConsentHistoryAsync())[0].GetProperty("method").GetString());

        // Someone who registers now accepts the version in force and is not held.
        var newcomer = await app.RegisterOwnerAsync();
        Assert.Equal(HttpStatusCode.OK, (await newcomer.Client.GetAsync("/api/v1/plants", Ct)).StatusCode);
        Assert.Equal(version, (await newcomer.ConsentsAsync()).Purpose("service").GetProperty("policyVersion").GetString());
    }

    [Fact]
    public async Task AMinorChange_ShowsABanner_UntilDismissed_OncePerUser()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        await officer.AcceptAsync((await officer.StandingAsync()).GetProperty("current").GetString()!);
        var owner = await app.RegisterOwnerAsync();
        var other = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(owner);
        Assert.DoesNotContain("id=\"policy-notice\"", await browser.GetStringAsync("/plants", Ct), StringComparison.Ordinal);

        var version = await officer.PublishNewAsync(material: false, summary: "Typo fixes in section 3.");

        // Not held, just told.
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/plants", Ct)).StatusCode);
        var page = await browser.GetStringAsync("/plants", Ct);
        Assert.Contains($"id=\"policy-notice\" data-version=\"{version}\"", page, StringComparison.Ordinal);
        Assert.Contains("Typo fixes in section 3.", page, StringComparison.Ordinal);
        Assert.Contains("id=\"policy-notice\"", await browser.GetStringAsync("/organisations", Ct), StringComparison.Ordinal);
        Assert.Equal(version, (await owner.StandingAsync()).GetProperty("notice").GetProperty("version").GetString());

        var dismissed = await browser.PostAsync("/privacy/notice/dismiss", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery(page), ["version"] = version, ["returnUrl"] = "/organisations",
        }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        Assert.Equal("/organisations", dismissed.Headers.Location!.OriginalString);
        Assert.DoesNotContain("id=\"policy-notice\"", await browser.GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await owner.StandingAsync()).GetProperty("notice").ValueKind);
        // Another device of the same person: still dismissed. Another person: still shown, until they dismiss it by API.
        Assert.DoesNotContain("id=\"policy-notice\"", await (await app.SignedInAsync(owner)).GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        Assert.Contains("id=\"policy-notice\"", await (await app.SignedInAsync(other)).GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.PostAsJsonAsync("/api/v1/me/policy/dismiss", new { version }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.Client.PostAsJsonAsync("/api/v1/me/policy/dismiss", new { version }, Ct)).StatusCode);
        Assert.DoesNotContain("id=\"policy-notice\"", await (await app.SignedInAsync(other)).GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        // A minor change is not mailed.
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        Assert.False(await db.Mailings.AnyAsync(m => m.Text.Contains(version), Ct));
    }

    private static string Antiforgery(string html) =>
        System.Net.WebUtility.HtmlDecode(AntiforgeryInput().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

public sealed class SqlitePolicyAcceptanceTests(SqliteApp app) : PolicyAcceptanceTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPolicyAcceptanceTests(PostgresApp app) : PolicyAcceptanceTests(app), IClassFixture<PostgresApp>;
