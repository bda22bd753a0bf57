using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Audit;

/// <summary>
/// The trail as the running server writes it: sign-ins, views of others' plants (coalesced), deletions; what the owner
/// and a platform admin read of it; and that it stays a valid chain under concurrent appends and erasure. These tests
/// never tamper with the trail (AuditVerifyCommandTests do, on a server of their own).
/// </summary>
public abstract class AuditTrailTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiftyConcurrentAuditedActions_LeaveTheChainIntact()
    {
        var owner = await app.RegisterOwnerAsync();
        var before = (await app.AuditEntriesAsync()).Count;

        var signIns = Enumerable.Range(0, 50).Select(i => i % 5 == 0
            ? app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = Owners.UniqueEmail("unknown"), password = "wrong password" }, Ct)
            : app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = owner.Password }, Ct));
        var responses = await Task.WhenAll(signIns);

        Assert.True(40 == responses.Count(r => r.StatusCode == HttpStatusCode.OK), string.Join(",", responses.Select(r => (int)r.StatusCode)) + string.Join("\n", app.Logs.Lines.Where(l => l.Contains("xception", StringComparison.Ordinal)).TakeLast(1)));
        var entries = await app.AuditEntriesAsync();
        Assert.True(entries.Count >= before + 50, $"{entries.Count - before} entries for 50 sign-ins");
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Seq));
        var verification = await app.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Explanation);
        Assert.Equal(entries.Count, verification.Count);
        Assert.Equal(Convert.ToHexStringLower(entries[^1].Hash), verification.HeadHash);
    }

    [Fact]
    public async Task SignIns_AreAudited_WithoutTheTypedLogin()
    {
        var owner = await app.RegisterOwnerAsync();
        var ownerId = await owner.UserIdAsync();
        var pseudonym = await app.PseudonymOfAsync(ownerId);
        var unknown = Owners.UniqueEmail("nobody-here");

        var wrong = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = "not the password" }, Ct);
        var ghost = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = unknown, password = "whatever it is" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ghost.StatusCode);
        var entries = await app.AuditEntriesAsync();
        Assert.NotNull(pseudonym);
        Assert.Contains(entries, e => e.Action == AuditActions.SignedIn && e.SubjectId == pseudonym && e.ActorId == pseudonym && e.ActorKind == AuditActorKind.User);
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed && e.SubjectId == pseudonym && e.ActorKind == AuditActorKind.Anonymous
            && e.Detail == """{"reason":"password"}""");
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed && e.SubjectId is null && e.Detail == """{"reason":"unknown-account"}""");
        Assert.DoesNotContain(await TrailTextAsync(), unknown.Split('@')[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Entries_HoldNoPersonalData()
    {
        var phone = Owners.UniquePhone();
        var owner = await app.RegisterOwnerAsync(phone: phone, name: "Zebulon Quixotesmith");
        var viewer = await app.RegisterOwnerAsync(name: "Philippa Viewerton");
        var ownerId = await owner.UserIdAsync();
        var plant = await owner.CreatePlantAsync("Private roof");
        await app.ShareAsync(plant, ownerId, await viewer.UserIdAsync());
        await viewer.Client.GetAsync($"/api/v1/plants/{plant}", Ct);
        await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = owner.Email, password = "not the password" }, Ct);
        await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = phone, password = "not the password" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        var text = await TrailTextAsync();

        Assert.Contains(AuditActions.PlantDeleted, text, StringComparison.Ordinal);
        foreach (var personal in new[] { "Zebulon", "Quixotesmith", "Philippa", "Viewerton", owner.Email, owner.Email.Split('@')[0], viewer.Email.Split('@')[0], phone, phone[3..] })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
        // Users appear only as pseudonyms, never by their user id.
        Assert.DoesNotContain(ownerId.ToString(), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OwnerSees_ASharedViewersAndAnEngineersAccess_ButNotTheirOwn()
    {
        var owner = await app.RegisterOwnerAsync();
        var viewer = await app.RegisterOwnerAsync(email: Owners.UniqueEmail("viewer"));
        var engineer = await app.RegisterOwnerAsync(email: Owners.UniqueEmail("engineer"));
        var ownerId = await owner.UserIdAsync();
        var engineerId = await engineer.UserIdAsync();
        var plant = await owner.CreatePlantAsync("Watched roof");
        await app.ShareAsync(plant, ownerId, await viewer.UserIdAsync());
        await app.AddRoleAsync(engineerId, Roles.Support);
        await app.GrantAfterSalesAsync(plant, ownerId, engineerId);

        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/v1/plants/{plant}/devices", Ct)).StatusCode);
        var engineerBrowser = await app.BrowserAsync(engineer);
        // A plant page (the alarm list: the details page has a DbContext race of its own between two sections).
        Assert.Equal(HttpStatusCode.OK, (await engineerBrowser.GetAsync($"/plants/{plant}/alarms", Ct)).StatusCode);

        var log = await (await owner.Client.GetAsync("/api/v1/account/access-log", Ct)).JsonAsync();
        var views = log.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("plantId").GetString() == plant.ToString()).ToList();
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Equal(AuditActions.PlantViewed, v.GetProperty("action").GetString()));
        Assert.All(views, v => Assert.Equal("Watched roof", v.GetProperty("plantName").GetString()));
        var who = views.Select(v => v.GetProperty("who").GetProperty("description").GetString()!).ToList();
        // Newest first: the engineer's page view, then the viewer's API read. E-mails masked, never whole.
        Assert.Equal("Helio support engineer, e***@e***.com", who[0]);
        Assert.Equal("v***@e***.com", who[1]);
        Assert.DoesNotContain(owner.Email.Split('@')[0], log.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(engineer.Email.Split('@')[0], log.ToString(), StringComparison.OrdinalIgnoreCase);
        // The owner's own sign-ins and reads are not listed; only others' actions are.
        var ownerPseudonym = await app.PseudonymOfAsync(ownerId);
        var actors = (await app.AuditEntriesAsync()).Where(e => e.SubjectId == ownerPseudonym).ToList();
        Assert.Contains(actors, e => e.ActorId == ownerPseudonym);
        Assert.DoesNotContain(log.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == AuditActions.SignedIn);

        // The page shows the same lines.
        var ownerBrowser = await app.BrowserAsync(owner);
        var page = await ownerBrowser.GetStringAsync("/account/access-log", Ct);
        Assert.Contains("Helio support engineer, e***@e***.com", page, StringComparison.Ordinal);
        Assert.Contains("v***@e***.com", page, StringComparison.Ordinal);
        Assert.Contains("viewed the plant", page, StringComparison.Ordinal);
        // The viewer's own log does not show the owner's plant reads (they are not about the viewer).
        var viewerLog = await (await viewer.Client.GetAsync("/api/v1/account/access-log", Ct)).JsonAsync();
        Assert.DoesNotContain(viewerLog.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == AuditActions.PlantViewed);
    }

    [Fact]
    public async Task PlantViews_AreCoalesced_PerActorAndPlant_AndOwnersAndStrangersWriteNone()
    {
        var owner = await app.RegisterOwnerAsync();
        var viewer = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var ownerId = await owner.UserIdAsync();
        var plant = await owner.CreatePlantAsync("Refreshing roof");
        var other = await owner.CreatePlantAsync("Second roof");
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct)).StatusCode);
        var viewerId = await viewer.UserIdAsync();
        await app.ShareAsync(plant, ownerId, viewerId);
        await app.ShareAsync(other, ownerId, viewerId);
        var before = (await app.AuditEntriesAsync()).Count;

        // A dashboard refreshing: the plant, its devices, a device, its overview, several times over; the owner too.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/v1/devices/{serial}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        }
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => viewer.Client.GetAsync($"/api/v1/plants/{other}", Ct)));

        var added = (await app.AuditEntriesAsync()).Skip(before).ToList();
        var viewerPseudonym = await app.PseudonymOfAsync(viewerId);
        Assert.Equal(2, added.Count(e => e.Action == AuditActions.PlantViewed));
        Assert.Single(added, e => e.Action == AuditActions.PlantViewed && e.PlantId == plant && e.ActorId == viewerPseudonym);
        Assert.Single(added, e => e.Action == AuditActions.PlantViewed && e.PlantId == other && e.ActorId == viewerPseudonym);
        var strangerPseudonym = await app.PseudonymOfAsync(await stranger.UserIdAsync());
        Assert.DoesNotContain(added, e => e.ActorId == strangerPseudonym && e.Action == AuditActions.PlantViewed);

        // The window is per node and in memory: once it has passed (here: forgotten), the next read is recorded again.
        app.Services.GetRequiredService<RecentPlantViews>().Release(viewerId, plant);
        await viewer.Client.GetAsync($"/api/v1/plants/{plant}/alarms", Ct);
        Assert.Equal(2, (await app.AuditEntriesAsync()).Skip(before).Count(e => e.Action == AuditActions.PlantViewed && e.PlantId == plant));
    }

    [Fact]
    public async Task ErasingAPseudonym_KeepsTheTrailVerifiable_AndTheActorBecomesAFormerUser()
    {
        var owner = await app.RegisterOwnerAsync();
        var viewer = await app.RegisterOwnerAsync();
        var ownerId = await owner.UserIdAsync();
        var viewerId = await viewer.UserIdAsync();
        var plant = await owner.CreatePlantAsync("Roof of a former friend");
        await app.ShareAsync(plant, ownerId, viewerId);
        Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            Assert.Equal(1, await db.AuditPseudonyms.Where(p => p.UserId == viewerId).ExecuteDeleteAsync(Ct));
        }

        var verification = await app.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Explanation);
        var log = await (await owner.Client.GetAsync("/api/v1/account/access-log", Ct)).JsonAsync();
        var view = Assert.Single(log.GetProperty("items").EnumerateArray(), i => i.GetProperty("plantId").GetString() == plant.ToString());
        Assert.Equal("former-user", view.GetProperty("who").GetProperty("kind").GetString());
        Assert.Equal("a former user", view.GetProperty("who").GetProperty("description").GetString());
    }

    [Fact]
    public async Task AccessLog_PagesByCursor_NewestFirst_AndRejectsABadCursor()
    {
        var owner = await app.RegisterOwnerAsync();
        var ownerId = await owner.UserIdAsync();
        var plants = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var viewer = await app.RegisterOwnerAsync();
            var plant = await owner.CreatePlantAsync($"Roof {i}");
            plants.Add(plant);
            await app.ShareAsync(plant, ownerId, await viewer.UserIdAsync());
            await viewer.Client.GetAsync($"/api/v1/plants/{plant}", Ct);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await owner.Client.GetAsync("/api/v1/account/access-log?limit=2" + (cursor is null ? "" : "&cursor=" + cursor), Ct)).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("action").GetString() == AuditActions.PlantViewed).Select(i => i.GetProperty("plantId").GetGuid()));
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(plants), seen);
        var bad = await owner.Client.GetAsync("/api/v1/account/access-log?cursor=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("cursor", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/account/access-log", Ct)).StatusCode);
    }

    [Fact]
    public async Task AdminAuditApiAndPage_AreForAdminsOnly_FilterByAction_AndVerify()
    {
        var admin = await app.RegisterOwnerAsync();
        var someone = await app.RegisterOwnerAsync();
        await app.AddRoleAsync(await admin.UserIdAsync(), Roles.Admin);
        await app.AddRoleAsync(await someone.UserIdAsync(), Roles.Support);

        Assert.Equal(HttpStatusCode.Forbidden, (await someone.Client.GetAsync("/api/v1/admin/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await someone.Client.PostAsJsonAsync("/api/v1/admin/audit/verify", new { }, Ct)).StatusCode);
        var signIns = await (await admin.Client.GetAsync($"/api/v1/admin/audit?action={AuditActions.SignedIn}&limit=2", Ct)).JsonAsync();
        var items = signIns.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(AuditActions.SignedIn, i.GetProperty("action").GetString()));
        Assert.True(items[0].GetProperty("seq").GetInt64() > items[^1].GetProperty("seq").GetInt64());
        Assert.DoesNotContain(admin.Email.Split('@')[0], signIns.ToString(), StringComparison.OrdinalIgnoreCase);
        var verified = await (await admin.Client.PostAsJsonAsync("/api/v1/admin/audit/verify", new { }, Ct)).JsonAsync();
        Assert.True(verified.GetProperty("intact").GetBoolean());
        var head = verified.GetProperty("head").GetString()!;
        var anchored = await (await admin.Client.PostAsJsonAsync("/api/v1/admin/audit/verify", new { anchor = head }, Ct)).JsonAsync();
        Assert.True(anchored.GetProperty("intact").GetBoolean());
        var badAnchor = await admin.Client.PostAsJsonAsync("/api/v1/admin/audit/verify", new { anchor = "12:xyz" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badAnchor.StatusCode);

        var browser = await app.BrowserAsync(admin);
        var page = await browser.GetStringAsync($"/admin/audit?action={AuditActions.SignedIn}", Ct);
        Assert.Contains("id=\"audit-entries\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-action=\"{AuditActions.PlantViewed}\"", page, StringComparison.Ordinal);
        var fields = AuditSetup.HiddenFields(page);
        fields["_handler"] = "verify";
        var posted = await browser.PostAsync("/admin/audit", new FormUrlEncodedContent(fields), Ct);
        var result = await posted.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("data-intact=\"true\"", result, StringComparison.Ordinal);

        var supportBrowser = await app.BrowserAsync(someone);
        var denied = await supportBrowser.GetAsync("/admin/audit", Ct);
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    /// <summary>Every text the trail's table holds, as one string (hashes as hex).</summary>
    private async Task<string> TrailTextAsync()
    {
        var text = new StringBuilder();
        foreach (var e in await app.AuditEntriesAsync())
        {
            text.AppendJoin('|', e.Seq, e.Action, e.ActorId, e.SubjectId, e.PlantId, e.Target, e.Detail, Convert.ToHexString(e.Hash)).AppendLine();
        }
        return text.ToString();
    }
}

public sealed class SqliteAuditTrailTests(SqliteApp app) : AuditTrailTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAuditTrailTests(PostgresApp app) : AuditTrailTests(app), IClassFixture<PostgresApp>;
