using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Incidents;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Security incidents (GDPR Art. 33/34) on the fake clock: the privacy officer records one, Helio drafts the authority's
/// notice with what Art. 33(3) asks and the 72-hour clock from discovery (overdue flagged, late notice only with reasons),
/// tells exactly the people the query finds by mail and in the app (once each), and publishes a public notice. Every
/// step is audited, and only the privacy officer may take them.
/// </summary>
public abstract class IncidentTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheAuthorityNotice_CarriesArticle33_AndThe72HourClock()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        // Whole seconds: PostgreSQL keeps microseconds, and the deadline is compared exactly.
        var discovered = DateTimeOffset.FromUnixTimeSeconds(app.Clock.GetUtcNow().AddHours(-10).ToUnixTimeSeconds());
        var incident = await RecordAsync(dpo, Body(discovered, new { kind = "all" }, approximateRecords: 1200));

        Assert.Equal(discovered.AddHours(72), incident.GetProperty("deadlineAt").GetDateTimeOffset());
        Assert.False(incident.GetProperty("overdue").GetBoolean());
        Assert.Equal(62, incident.GetProperty("hoursLeft").GetDouble());
        var id = incident.GetProperty("id").GetGuid();
        var draft = await (await dpo.Client.GetAsync($"/api/v1/privacy/incidents/{id}/authority-notice", Ct)).JsonAsync();
        var text = draft.GetProperty("text").GetString()!;
        foreach (var part in new[]
        {
            "(a) Nature of the breach", "A copy of the user table was readable", "e-mail addresses and phone numbers", "Approximate number of data subjects concerned",
            "Approximate number of personal data records concerned: 1,200", "(b) Contact point", "privacy@helio.example", "(c) Likely consequences", "Phishing",
            "(d) Measures taken", "Rotated the keys", "hours left",
        })
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
        Assert.True(draft.GetProperty("affectedNow").GetInt32() >= 1);

        app.Advance(TimeSpan.FromHours(63));
        var dpoClient = await FreshAsync(dpo);
        var late = await (await dpoClient.GetAsync($"/api/v1/privacy/incidents/{id}/authority-notice", Ct)).JsonAsync();
        Assert.True(late.GetProperty("overdue").GetBoolean());
        Assert.Contains("OVERDUE", late.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Reasons for the delay", late.GetProperty("text").GetString(), StringComparison.Ordinal);
        var withoutReason = await dpoClient.PostAsJsonAsync($"/api/v1/privacy/incidents/{id}/authority-notified", new { reference = "DPA-2026-17" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.True((await withoutReason.JsonAsync()).GetProperty("errors").TryGetProperty("delayReason", out _));
        var told = await dpoClient.PostAsJsonAsync($"/api/v1/privacy/incidents/{id}/authority-notified", new { reference = "DPA-2026-17", delayReason = "The extent was only known after the forensic report." }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, told.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await dpoClient.PostAsJsonAsync($"/api/v1/privacy/incidents/{id}/authority-notified", new { }, Ct)).StatusCode);

        var after = await (await dpoClient.GetAsync($"/api/v1/privacy/incidents/{id}", Ct)).JsonAsync();
        Assert.True(after.GetProperty("overdue").GetBoolean());
        Assert.Equal("DPA-2026-17", after.GetProperty("authorityReference").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("hoursLeft").ValueKind);
        var actions = (await app.AuditEntriesAsync()).Where(e => e.Target == id.ToString()).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.IncidentRecorded, AuditActions.IncidentAuthorityNotified], actions);
    }

    [Fact]
    public async Task TellingTheAuthorityInTime_NeedsNoReason()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var id = (await RecordAsync(dpo, Body(app.Clock.GetUtcNow().AddHours(-71), new { kind = "all" }))).GetProperty("id").GetGuid();

        var told = await dpo.Client.PostAsJsonAsync($"/api/v1/privacy/incidents/{id}/authority-notified", new { }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, told.StatusCode);
        Assert.False((await (await dpo.Client.GetAsync($"/api/v1/privacy/incidents/{id}", Ct)).JsonAsync()).GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task NotifyingUsersOfAPlant_TellsItsPeople_ByMailAndInTheApp_OnceEach()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var viewer = await app.RegisterOwnerAsync();
        var bystander = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Leaky roof");
        await app.ShareAsync(plant, await owner.UserIdAsync(), await viewer.UserIdAsync());
        var id = (await RecordAsync(dpo, Body(app.Clock.GetUtcNow().AddHours(-1), new { kind = "plants", ids = new[] { plant } }))).GetProperty("id").GetGuid();

        var first = await (await dpo.Client.PostAsync($"/api/v1/privacy/incidents/{id}/notify-users", null, Ct)).JsonAsync();
        var again = await (await dpo.Client.PostAsync($"/api/v1/privacy/incidents/{id}/notify-users", null, Ct)).JsonAsync();

        Assert.Equal(2, first.GetProperty("notifiedNow").GetInt32());
        Assert.Equal(2, first.GetProperty("mailed").GetInt32());
        Assert.Equal(0, again.GetProperty("notifiedNow").GetInt32());
        Assert.Equal(2, again.GetProperty("notifiedInAll").GetInt32());
        foreach (var told in new[] { owner, viewer })
        {
            var mail = await app.Mail.WaitForAsync(told.Email, "Security incident: Database exposure");
            foreach (var section in new[] { "What happened", "A copy of the user table", "What this may mean for you", "What we have done", "What you can do", "Change your password", "Whom to contact" })
            {
                Assert.Contains(section, mail.TextBody, StringComparison.Ordinal);
            }
            var notices = await (await told.Client.GetAsync("/api/v1/me/incident-notices", Ct)).JsonAsync();
            var notice = Assert.Single(notices.EnumerateArray());
            Assert.Equal(id, notice.GetProperty("incidentId").GetGuid());
            Assert.Equal(JsonValueKind.Null, notice.GetProperty("readAt").ValueKind);
        }
        Assert.Single(app.Mail.To(owner.Email), m => m.Subject!.StartsWith("Security incident", StringComparison.Ordinal));
        Assert.Empty((await (await bystander.Client.GetAsync("/api/v1/me/incident-notices", Ct)).JsonAsync()).EnumerateArray());
        Assert.DoesNotContain(app.Mail.To(bystander.Email), m => m.Subject!.StartsWith("Security incident", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await bystander.Client.PostAsync($"/api/v1/me/incident-notices/{id}/read", null, Ct)).StatusCode);
        var notifiedEntries = (await app.AuditEntriesAsync()).Where(e => e.Target == id.ToString() && e.Action == AuditActions.IncidentUsersNotified).ToList();
        Assert.Equal(2, notifiedEntries.Count);
    }

    [Fact]
    public async Task TheAppShowsTheNotice_AtTheNextVisit_UntilItIsRead()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Banner roof");
        var id = (await RecordAsync(dpo, Body(app.Clock.GetUtcNow().AddHours(-1), new { kind = "plants", ids = new[] { plant } }))).GetProperty("id").GetGuid();
        var browser = await app.SignedInAsync(owner);
        Assert.DoesNotContain("id=\"incident-banner\"", await browser.GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        (await dpo.Client.PostAsync($"/api/v1/privacy/incidents/{id}/notify-users", null, Ct)).EnsureSuccessStatusCode();

        var plants = await browser.GetStringAsync("/plants", Ct);
        Assert.Contains("id=\"incident-banner\"", plants, StringComparison.Ordinal);
        Assert.Contains($"/account/incident-notices/{id}", plants, StringComparison.Ordinal);
        var notice = await browser.GetStringAsync($"/account/incident-notices/{id}", Ct);
        Assert.Contains("Change your password", notice, StringComparison.Ordinal);
        var read = await browser.PostFormAsync($"/account/incident-notices/{id}", "read-notice");
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);

        Assert.DoesNotContain("id=\"incident-banner\"", await browser.GetStringAsync("/plants", Ct), StringComparison.Ordinal);
        var mine = Assert.Single((await (await owner.Client.GetAsync("/api/v1/me/incident-notices", Ct)).JsonAsync()).EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, mine.GetProperty("readAt").ValueKind);
        var stranger = await app.SignedInAsync(await app.RegisterOwnerAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/account/incident-notices/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task AffectedQueries_FindOrganisationsAndRegions()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var installer = await app.RegisterOwnerAsync();
        var member = await app.RegisterOwnerAsync();
        var customer = await app.RegisterOwnerAsync();
        var organisation = await installer.CreateOrganisationAsync("Breached Installers");
        await app.JoinAsync(installer, organisation, member);
        await customer.ShareWithOrganisationAsync(await customer.CreatePlantAsync("Customer roof"), organisation);
        var now = app.Clock.GetUtcNow().AddHours(-1);

        var byOrganisation = await RecordAsync(dpo, Body(now, new { kind = "organisations", ids = new[] { organisation } }));
        var inRegion = await RecordAsync(dpo, Body(now, new { kind = "region", region = "EU" }));
        var elsewhere = await RecordAsync(dpo, Body(now, new { kind = "region", region = "CN" }));

        Assert.Equal(3, byOrganisation.GetProperty("affectedNow").GetInt32());
        await using (var scope = app.Scope())
        {
            Assert.Equal(await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Users.CountAsync(Ct), inRegion.GetProperty("affectedNow").GetInt32());
        }
        Assert.Equal(0, elsewhere.GetProperty("affectedNow").GetInt32());
    }

    [Fact]
    public async Task ThePublicNotice_IsOnlineOncePublished()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var id = (await RecordAsync(dpo, Body(app.Clock.GetUtcNow().AddHours(-1), new { kind = "all" }))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync($"/privacy/incidents/{id}", Ct)).StatusCode);

        var published = await (await dpo.Client.PostAsync($"/api/v1/privacy/incidents/{id}/publish", null, Ct)).JsonAsync();
        await dpo.Client.PostAsync($"/api/v1/privacy/incidents/{id}/publish", null, Ct);

        Assert.Equal($"/privacy/incidents/{id}", published.GetProperty("publicPath").GetString());
        var page = await app.Anonymous().GetStringAsync($"/privacy/incidents/{id}", Ct);
        foreach (var section in new[] { "Database exposure", "What happened", "What we have done", "Rotated the keys", "What you can do", "privacy@helio.example" })
        {
            Assert.Contains(section, page, StringComparison.Ordinal);
        }
        Assert.Contains($"/privacy/incidents/{id}", await app.Anonymous().GetStringAsync("/privacy/incidents", Ct), StringComparison.Ordinal);
        Assert.Single(await app.AuditEntriesAsync(), e => e.Target == id.ToString() && e.Action == AuditActions.IncidentPublished);
    }

    [Fact]
    public async Task OnlyThePrivacyOfficer_HandlesIncidents_AndBadInputNamesTheField()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var owner = await app.RegisterOwnerAsync();
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var body = Body(app.Clock.GetUtcNow(), new { kind = "all" });
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Client.PostAsJsonAsync("/api/v1/privacy/incidents", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/privacy/incidents", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/privacy/incidents", Ct)).StatusCode);

        var bad = await dpo.Client.PostAsJsonAsync("/api/v1/privacy/incidents", new
        {
            title = "", discoveredAt = app.Clock.GetUtcNow().AddDays(1), description = "x", dataCategories = new[] { "shoe-sizes" },
            affected = new { kind = "plants" }, likelyConsequences = "x", measuresTaken = "x", advice = "x", contact = new string('c', 600),
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "title", "discoveredAt", "dataCategories", "affected.ids", "contact" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }
        Assert.DoesNotContain((await (await dpo.Client.GetAsync("/api/v1/privacy/incidents", Ct)).JsonAsync()).EnumerateArray(), i => i.GetProperty("title").GetString() == "");
    }

    [Fact]
    public async Task RecordingIgnoresFieldsTheOfficerDoesNotSet()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var dpoId = await dpo.UserIdAsync();
        var forgedId = Guid.NewGuid();
        var forged = new Dictionary<string, object?>
        {
            ["title"] = "Database exposure", ["discoveredAt"] = app.Clock.GetUtcNow().AddHours(-1), ["description"] = "A copy of the user table was readable.",
            ["dataCategories"] = new[] { "contact" }, ["affected"] = new { kind = "all" }, ["likelyConsequences"] = "Phishing", ["measuresTaken"] = "Rotated the keys",
            ["advice"] = "Change your password", ["contact"] = "privacy@helio.example",
            ["id"] = forgedId, ["recordedBy"] = Guid.NewGuid(), ["recordedAt"] = "2001-02-03T04:05:06Z", ["authorityNotifiedAt"] = "2001-02-03T04:05:06Z",
            ["usersNotifiedAt"] = "2001-02-03T04:05:06Z", ["usersNotified"] = 99, ["publishedAt"] = "2001-02-03T04:05:06Z",
        };

        var before = app.Clock.GetUtcNow();
        var recorded = await (await dpo.Client.PostAsJsonAsync("/api/v1/privacy/incidents", forged, Ct)).JsonAsync();
        var after = app.Clock.GetUtcNow();

        var id = recorded.GetProperty("id").GetGuid();
        Assert.NotEqual(forgedId, id);
        await using var scope = app.Scope();
        var incident = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Set<SecurityIncident>().SingleAsync(i => i.Id == id, Ct);
        Assert.Equal(dpoId, incident.RecordedBy);
        Assert.Null(incident.AuthorityNotifiedAt);
        Assert.Null(incident.UsersNotifiedAt);
        Assert.Null(incident.PublishedAt);
        Assert.Equal(0, incident.UsersNotified);
        Assert.InRange(incident.RecordedAt, before.AddMilliseconds(-1), after);
    }

    [Fact]
    public async Task TheOfficersPages_RecordAndShowTheClock()
    {
        var dpo = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var browser = await app.SignedInAsync(dpo);
        var discovered = app.Clock.GetUtcNow().AddHours(-80).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var recorded = await browser.PostAsync("/dpo/incidents", new FormUrlEncodedContent(
            WebSignIn.HiddenFields(FormOf(await PageAsync(browser, "/dpo/incidents"), "record-incident")).Concat(new Dictionary<string, string>
            {
                ["Input.Title"] = "Paged breach", ["Input.DiscoveredAt"] = discovered, ["Input.Description"] = "A laptop was stolen.",
                ["Input.AffectedKind"] = "all", ["Input.LikelyConsequences"] = "Little", ["Input.MeasuresTaken"] = "Remote wipe",
                ["Input.Advice"] = "Nothing", ["Input.Contact"] = "privacy@helio.example",
            }).Append(new("category", "names")).Append(new("category", "contact"))), Ct);

        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var path = recorded.Headers.Location!.OriginalString;
        var page = await PageAsync(browser, path);
        Assert.Contains("id=\"overdue\"", page, StringComparison.Ordinal);
        Assert.Contains("names, e-mail addresses and phone numbers", page, StringComparison.Ordinal);
        Assert.Contains("data-overdue=\"true\"", await PageAsync(browser, "/dpo/incidents"), StringComparison.Ordinal);
        var refused = await browser.PostFormAsync(path, "authority-notified");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("delay-reason-error", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var owner = await app.SignedInAsync(await app.RegisterOwnerAsync());
        Assert.NotEqual(HttpStatusCode.OK, (await owner.GetAsync("/dpo/incidents", Ct)).StatusCode);
    }

    /// <summary>A page that must load; if it does not, the server's exception is the message.</summary>
    private async Task<string> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} " + string.Join("\n", app.Logs.Lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).TakeLast(2)));
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static string FormOf(string html, string name) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*>.*?</form>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Value).First(f => f.Contains($"value=\"{name}\"", StringComparison.Ordinal));

    private static Dictionary<string, object?> Body(DateTimeOffset discovered, object affected, long? approximateRecords = null) => new()
    {
        ["title"] = "Database exposure", ["discoveredAt"] = discovered, ["description"] = "A copy of the user table was readable from the internet for two days.",
        ["dataCategories"] = new[] { "names", "contact" }, ["affected"] = affected, ["approximateRecords"] = approximateRecords,
        ["likelyConsequences"] = "Phishing mails that look like they come from Helio.", ["measuresTaken"] = "Rotated the keys and closed the access.",
        ["advice"] = "Change your password and be wary of mails asking for it.", ["contact"] = "privacy@helio.example",
    };

    private async Task<JsonElement> RecordAsync(Owner dpo, object body)
    {
        var client = await FreshAsync(dpo);
        var response = await client.PostAsJsonAsync("/api/v1/privacy/incidents", body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return await response.JsonAsync();
    }

    /// <summary>A client with a token that is fresh on the fake clock (tokens last 15 minutes of it).</summary>
    private async Task<HttpClient> FreshAsync(Owner user) => app.WithToken((await app.TokenAsync(user.Email, user.Password)).AccessToken);
}

public sealed class SqliteIncidentTests(SqlitePrivacyClockApp app) : IncidentTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresIncidentTests(PostgresPrivacyClockApp app) : IncidentTests(app), IClassFixture<PostgresPrivacyClockApp>;
