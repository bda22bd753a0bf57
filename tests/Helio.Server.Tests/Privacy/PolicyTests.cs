using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Tests.Access;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// The policy's public pages (the seed text as version 1.0, the archive, each version at its own address) and the
/// privacy officer's management of versions: drafts nobody else sees, publication, published versions that never
/// change, and safe rendering of whatever Markdown a version holds.
/// </summary>
public abstract class PolicyTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublicPages_ShowTheSeedPolicy_TheArchive_AndEachVersion_ToAnyone()
    {
        var anonymous = app.Anonymous();

        var current = await anonymous.GetAsync("/privacy", Ct);
        var first = await anonymous.GetAsync("/privacy/versions/1.0", Ct);
        var archive = await anonymous.GetStringAsync("/privacy/archive", Ct);

        // Whichever version is in force (other tests of this class publish new ones), and the seed's as 1.0 for good.
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Contains("data-state=\"current\"", await current.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var seed = await first.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<h1>Privacy Policy</h1>", seed, StringComparison.Ordinal);
        // The seed's text, rendered from Markdown: its sections are headings.
        Assert.Contains("Welcome to the SOFAR Monitor website or mobile app", seed, StringComparison.Ordinal);
        Assert.Contains("How to contact us</h2>", seed, StringComparison.Ordinal);
        Assert.Contains("data-version=\"1.0\"", archive, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/privacy/versions/no-such-version", Ct)).StatusCode);
    }

    [Fact]
    public async Task PolicyManagement_IsThePrivacyOfficers_AndNobodyElses()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var draft = await officer.DraftAsync(material: false);
        foreach (var caller in new[] { await app.RegisterStaffAsync(Roles.Admin), await app.RegisterStaffAsync(Roles.Support), await app.RegisterOwnerAsync() })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.GetAsync("/api/v1/admin/privacy/policies", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.GetAsync($"/api/v1/admin/privacy/policies/{draft}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.Client.PostAsJsonAsync("/api/v1/admin/privacy/policies",
                new { version = PrivacySetup.UniqueVersion(), title = "Mine", bodyMarkdown = "Mine", summary = "Mine", material = true }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.TryPublishAsync(draft)).StatusCode);
            var browser = await app.SignedInAsync(caller);
            Assert.NotEqual(HttpStatusCode.OK, (await browser.GetAsync("/admin/privacy/policies", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/admin/privacy/policies", Ct)).StatusCode);

        var officerBrowser = await app.SignedInAsync(officer);
        var page = await officerBrowser.GetAsync("/admin/privacy/policies", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"data-version=\"{draft}\" data-state=\"draft\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var list = await (await officer.Client.GetAsync("/api/v1/admin/privacy/policies", Ct)).JsonAsync();
        Assert.Equal("draft", list.EnumerateArray().Single(v => v.GetProperty("version").GetString() == draft).GetProperty("state").GetString());
    }

    [Fact]
    public async Task ADraft_IsUnseenUntilPublished_AndAPublishedVersionNeverChanges()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var version = await officer.DraftAsync(material: false, summary: "Names the new contact address.", body: "# Helio\n\nWrite to privacy@helio.example.");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync($"/privacy/versions/{version}", Ct)).StatusCode);
        Assert.DoesNotContain(version, await app.Anonymous().GetStringAsync("/privacy/archive", Ct), StringComparison.Ordinal);

        var edited = await officer.Client.PutAsJsonAsync($"/api/v1/admin/privacy/policies/{version}",
            new { title = "Helio privacy policy", bodyMarkdown = "# Helio\n\nWrite to dpo@helio.example.", summary = "Names the new contact address.", material = false }, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var published = await officer.PublishAsync(version);

        Assert.Equal("current", published.GetProperty("version").GetProperty("state").GetString());
        var page = await app.Anonymous().GetStringAsync("/privacy", Ct);
        Assert.Contains($"data-version=\"{version}\"", page, StringComparison.Ordinal);
        Assert.Contains("dpo@helio.example", page, StringComparison.Ordinal);
        Assert.Contains("Names the new contact address.", await app.Anonymous().GetStringAsync("/privacy/archive", Ct), StringComparison.Ordinal);
        Assert.Contains("This version is no longer in force", await app.Anonymous().GetStringAsync("/privacy/versions/1.0", Ct), StringComparison.Ordinal);
        var change = await officer.Client.PutAsJsonAsync($"/api/v1/admin/privacy/policies/{version}",
            new { title = "Changed afterwards", bodyMarkdown = "Changed", summary = "Changed", material = false }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.TryPublishAsync(version)).StatusCode);
        Assert.Contains("dpo@helio.example", await app.Anonymous().GetStringAsync($"/privacy/versions/{version}", Ct), StringComparison.Ordinal);
        var officerId = await officer.UserIdAsync();
        Assert.Contains(await app.AuditAsync(), e => e.Action == AuditActions.PolicyPublished && e.Target == version && e.Actor == officerId);
    }

    [Fact]
    public async Task BadDrafts_AnswerProblemsNamingTheField()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var taken = await officer.DraftAsync(material: false);

        async Task<string[]> ErrorsAsync(object body)
        {
            var response = await officer.Client.PostAsJsonAsync("/api/v1/admin/privacy/policies", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return [.. (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name)];
        }

        Assert.Equal(["bodyMarkdown", "summary", "title", "version"], (await ErrorsAsync(new { })).Order(StringComparer.Ordinal));
        Assert.Contains("version", await ErrorsAsync(new { version = taken, title = "T", bodyMarkdown = "B", summary = "S" }));
        Assert.Contains("version", await ErrorsAsync(new { version = "../etc", title = "T", bodyMarkdown = "B", summary = "S" }));
        Assert.Contains("bodyMarkdown", await ErrorsAsync(new { version = PrivacySetup.UniqueVersion(), title = "T", bodyMarkdown = new string('x', 100_001), summary = "S" }));
        var draft = await officer.DraftAsync(material: false);
        var past = await officer.TryPublishAsync(draft, DateTimeOffset.UtcNow.AddDays(-2));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.True((await past.JsonAsync()).GetProperty("errors").TryGetProperty("effectiveAt", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await officer.TryPublishAsync("no-such-version")).StatusCode);
    }

    [Fact]
    public async Task PolicyMarkdown_CannotCarryHtmlOrScriptLinks_IntoThePublicPages()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var version = await officer.PublishNewAsync(material: false, body:
            "# Policy\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[contact](javascript:alert(1)) and [site](https://helio.example/) and <javascript:alert(2)>");

        var page = await app.Anonymous().GetStringAsync($"/privacy/versions/{version}", Ct);

        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://helio.example/\"", page, StringComparison.Ordinal);
    }
}

public sealed class SqlitePolicyTests(SqliteApp app) : PolicyTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPolicyTests(PostgresApp app) : PolicyTests(app), IClassFixture<PostgresApp>;
