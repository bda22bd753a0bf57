using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy.Export;

/// <summary>
/// The export and transfer contract end to end (ADR 0025), through HTTP, the real mailbox, the background worker and a
/// real HTTPS receiver: the ZIP holds the account's data as JSON, CSV and HTML and no secret; only its requester can
/// download it, with the password, until it expires; a transfer lands at the recipient as a valid ZIP; a transfer out
/// of region without a basis is refused with the policy's reason.
/// </summary>
public abstract class ExportTests(ExportApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int ReadingCount = 24;

    [Fact]
    public async Task Export_IsProducedInTheBackground_AndDownloadedWithThePassword_AsAZipOfEverything_WithoutSecrets()
    {
        var owner = await app.RegisterOwnerAsync(name: "Erika Export");
        var (plant, serial) = await PlantWithReadingsAsync(owner);
        await app.RaiseAsync(plant, serial, "ID05", Features.Alarms.AlarmSeverity.Warning, "Leakage current fault");

        var id = await app.VerifiedRequestAsync(owner, new { kind = "export" });
        var (request, progress) = await owner.AnsweredAsync(id);

        Assert.Equal("completed", request.GetProperty("state").GetString());
        var final = request.GetProperty("progress");
        Assert.Equal("done", final.GetProperty("stage").GetString());
        Assert.Equal(100, final.GetProperty("percent").GetInt32());
        Assert.Equal(final.GetProperty("sectionsTotal").GetInt32(), final.GetProperty("sectionsDone").GetInt32());
        Assert.True(final.GetProperty("rowsWritten").GetInt64() >= ReadingCount);
        Assert.All(progress.Zip(progress.Skip(1)), p => Assert.True(p.Second.GetProperty("percent").GetInt32() >= p.First.GetProperty("percent").GetInt32()));
        Assert.Equal(["received", "code-sent", "verified", "started", "completed"],
            request.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()!).ToArray());
        var url = request.GetProperty("downloadUrl").GetString()!;
        Assert.Equal($"/api/v1/me/requests/{id}/download", url);

        var download = await owner.Client.DownloadAsync(url, owner.Password);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read);
        var entries = zip.Entries.ToDictionary(e => e.FullName, Read);
        Assert.Equal(
            ["access-log.csv", "alarms/alarms.csv", "alarms/alarms.json", "consents.csv", "devices.csv", "index.html", "my-data.json", "plants.csv", "requests.csv", "telemetry/readings.csv"],
            entries.Keys.Order(StringComparer.Ordinal).ToArray());

        using var myData = JsonDocument.Parse(entries["my-data.json"]);
        Assert.Equal(owner.Email, myData.RootElement.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(plant, myData.RootElement.GetProperty("plants")[0].GetProperty("id").GetGuid());
        Assert.Contains(myData.RootElement.GetProperty("consents").GetProperty("current").EnumerateArray(), c => c.GetProperty("required").GetBoolean() && c.GetProperty("given").GetBoolean());
        Assert.StartsWith("at,purpose,given,method,policy_version", Lines(entries["consents.csv"])[0], StringComparison.Ordinal);

        var readings = Lines(entries["telemetry/readings.csv"]);
        Assert.StartsWith("device_serial,at,state,faults,active_power_w,energy_today_kwh", readings[0], StringComparison.Ordinal);
        Assert.Equal(ReadingCount, readings.Length - 1);
        Assert.All(readings.Skip(1), line => Assert.StartsWith(serial + ",", line, StringComparison.Ordinal));
        Assert.Contains(readings.Skip(1), line => line.Split(',')[4] == "1500");
        Assert.Equal(ReadingCount, readings.Skip(1).Distinct().Count());

        using var alarms = JsonDocument.Parse(entries["alarms/alarms.json"]);
        var alarm = Assert.Single(alarms.RootElement.EnumerateArray());
        Assert.Equal("ID05", alarm.GetProperty("code").GetString());
        Assert.Equal("raised", alarm.GetProperty("events")[0].GetProperty("event").GetString());
        Assert.Equal(2, Lines(entries["alarms/alarms.csv"]).Length);
        Assert.StartsWith("id,name,address", Lines(entries["plants.csv"])[0], StringComparison.Ordinal);
        Assert.Equal(2, Lines(entries["devices.csv"]).Length);
        Assert.StartsWith("at,action,what,who_kind", Lines(entries["access-log.csv"])[0], StringComparison.Ordinal);
        Assert.Contains("Erika Export", entries["index.html"], StringComparison.Ordinal);
        Assert.Contains(owner.Email, entries["index.html"], StringComparison.Ordinal);

        var userId = myData.RootElement.GetProperty("account").GetProperty("id").GetGuid();
        foreach (var secret in await SecretsAsync(owner, userId))
        {
            Assert.All(entries, e => Assert.DoesNotContain(secret, e.Value, StringComparison.OrdinalIgnoreCase));
        }
        Assert.Contains(await app.AuditEntriesAsync(), e => e.Action == AuditActions.DataExported && e.Target == id.ToString());
    }

    [Fact]
    public async Task Download_OfSomeoneElse_IsMissing_AndAWrongPasswordIsRefused()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner, new { kind = "export" });
        var (request, _) = await owner.AnsweredAsync(id);
        var url = request.GetProperty("downloadUrl").GetString()!;
        var stranger = await app.RegisterOwnerAsync();

        var foreign = await stranger.Client.DownloadAsync(url, stranger.Password);
        var missing = await owner.Client.DownloadAsync($"/api/v1/me/requests/{Guid.NewGuid()}/download", owner.Password);
        var wrong = await owner.Client.DownloadAsync(url, "not the password");
        var none = await owner.Client.DownloadAsync(url, null);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal((await missing.JsonAsync()).GetProperty("title").GetString(), (await foreign.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.True((await none.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.DoesNotContain(await app.AuditEntriesAsync(), e => e.Action == AuditActions.DataExported && e.Target == id.ToString());
    }

    [Fact]
    public async Task Erasure_TakesTheExportFile_WithThePerson()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner, new { kind = "export" });
        await owner.AnsweredAsync(id);
        var exports = Path.Combine(app.DataDirectory, "exports");
        Assert.Single(Directory.GetFiles(exports, $"{id:N}*"));

        await using (var scope = app.Scope())
        {
            var erasure = scope.ServiceProvider.GetRequiredService<Helio.Server.Features.Privacy.Lifecycle.AccountErasure>();
            Assert.True(await erasure.EraseAsync(await owner.UserIdAsync(), Helio.Server.Features.Audit.AuditActor.System,
                Helio.Server.Features.Privacy.Lifecycle.ErasureReasons.AccountCancelled, Ct));
        }

        // A decrypted copy does not wait for the retention run (days) to go.
        Assert.Empty(Directory.GetFiles(exports, $"{id:N}*"));
    }

    [Fact]
    public async Task Download_AfterTheFileDays_IsGone()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner, new { kind = "export" });
        var (request, _) = await owner.AnsweredAsync(id);
        var url = request.GetProperty("downloadUrl").GetString()!;

        app.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        // The sign-in token has expired on the moved clock: sign in again.
        var client = app.WithToken((await app.TokenAsync(owner.Email, owner.Password)).AccessToken);
        var gone = await client.DownloadAsync(url, owner.Password);
        var now = await (await client.GetAsync($"/api/v1/me/requests/{id}", Ct)).JsonAsync();

        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("expired", (await gone.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, now.GetProperty("downloadUrl").ValueKind);
    }

    [Fact]
    public async Task RequestPage_ShowsTheFinishedProgress_AndItsFormDownloadsWithThePassword()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner, new { kind = "export" });
        await owner.AnsweredAsync(id);
        var browser = await app.SignedInAsync(owner);
        var path = $"/account/requests/{id}";

        var page = await browser.GetStringAsync(path, Ct);
        var fields = WebSignIn.HiddenFields(page);
        fields["password"] = "not my password";
        var wrong = await browser.PostAsync($"{path}/download", new FormUrlEncodedContent(fields), Ct);
        fields["password"] = owner.Password;
        var right = await browser.PostAsync($"{path}/download", new FormUrlEncodedContent(fields), Ct);
        fields.Remove("__RequestVerificationToken");
        var forged = await browser.PostAsync($"{path}/download", new FormUrlEncodedContent(fields), Ct);

        Assert.Contains("<progress id=\"export-bar\" max=\"100\" value=\"100\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"download-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http-equiv=\"refresh\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        var refusedPage = await browser.GetStringAsync(wrong.Headers.Location!.OriginalString, Ct);
        Assert.Equal($"{path}?download=password#export-progress", wrong.Headers.Location!.OriginalString);
        Assert.Contains("<p role=\"alert\" id=\"download-error\">The password is not correct.</p>", refusedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("application/zip", right.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await right.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read);
        Assert.NotNull(zip.GetEntry("index.html"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Transfer_PushesTheZip_ToTheNamedHttpsRecipient()
    {
        await using var receiver = await HttpsReceiver.StartAsync(app.Certificate);
        var owner = await app.RegisterOwnerAsync(name: "Theo Transfer");
        await PlantWithReadingsAsync(owner);

        var id = await app.VerifiedRequestAsync(owner, new { kind = "transfer", targetUrl = receiver.BaseUrl + "/inbox", targetRegion = "EU" });
        var (request, _) = await owner.AnsweredAsync(id);

        Assert.True(request.GetProperty("state").GetString() == "completed", request.ToString());
        Assert.Contains("HTTP 200", request.GetProperty("answer").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, request.GetProperty("downloadUrl").ValueKind);
        var body = Assert.Single(receiver.Bodies);
        using var zip = new ZipArchive(new MemoryStream(body), ZipArchiveMode.Read);
        Assert.Contains("Theo Transfer", Read(zip.GetEntry("index.html")!), StringComparison.Ordinal);
        Assert.Equal(ReadingCount + 1, Lines(Read(zip.GetEntry("telemetry/readings.csv")!)).Length);
        // Helio keeps no copy of what it sent.
        Assert.Empty(Directory.Exists(Path.Combine(app.DataDirectory, "exports")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "exports"), $"{id:N}*") : []);
    }

    [Fact]
    public async Task Transfer_OutOfRegionWithoutABasis_IsRefused_WithThePolicysReason()
    {
        await using var receiver = await HttpsReceiver.StartAsync(app.Certificate);
        var owner = await app.RegisterOwnerAsync();

        var id = await app.VerifiedRequestAsync(owner, new { kind = "transfer", targetUrl = receiver.BaseUrl + "/inbox", targetRegion = "JP" });
        var (request, _) = await owner.AnsweredAsync(id);

        Assert.Equal("refused", request.GetProperty("state").GetString());
        Assert.Contains("No legal basis is recorded for transferring personal data from EU to JP", request.RefusalReason(), StringComparison.Ordinal);
        Assert.Empty(receiver.Bodies);
        Assert.Contains(await app.AuditEntriesAsync(), e => e.Action == AuditActions.TransferRefused && e.Target == "JP");
    }

    [Fact]
    public async Task Transfer_WithoutATargetRegion_IsRefusedAtOnce_NamingTheField()
    {
        var owner = await app.RegisterOwnerAsync();

        var response = await owner.Client.PostAsJsonAsync("/api/v1/me/requests",
            new { kind = "transfer", password = owner.Password, targetUrl = "https://recipient.example/inbox" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("targetRegion", out _));
    }

    /// <summary>A plant with an inverter that sent <see cref="ReadingCount"/> readings, 5 minutes apart, after it joined.</summary>
    private async Task<(Guid Plant, string Serial)> PlantWithReadingsAsync(Owner owner)
    {
        var plant = await owner.CreatePlantAsync();
        var serial = "SE" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var added = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(Ct));
        var start = app.Clock.GetUtcNow().AddMinutes(1);
        var readings = Enumerable.Range(0, ReadingCount).Select(i => StoredReadings.Reading(serial, null, start.AddMinutes(5 * i), 1000 + 500 * (i % 2))).ToList();
        await StoredReadings.StoreAsync(app, readings, Ct);
        return (plant, serial);
    }

    /// <summary>What must never leave Helio, in the forms it could appear in: the password hash, the security stamp, the
    /// e-mail's blind index, the wrapped data keys, the sign-in tokens, and the names of such fields.</summary>
    private async Task<List<string>> SecretsAsync(Owner owner, Guid userId)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var stored = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, Ct);
        var keys = await db.UserDataKeys.AsNoTracking().Where(k => k.UserId == userId).Select(k => k.WrappedKey).ToListAsync(Ct);
        Assert.NotEmpty(keys);
        return
        [
            stored.PasswordHash!, stored.SecurityStamp, stored.ConcurrencyStamp, Convert.ToBase64String(stored.EmailIndex), Convert.ToHexString(stored.EmailIndex),
            owner.AccessToken, owner.RefreshToken,
            .. keys.Select(Convert.ToBase64String), .. keys.Select(Convert.ToHexString), .. keys.Select(Convert.ToHexStringLower),
            "passwordHash", "password_hash", "securityStamp", "emailIndex", "wrappedKey", "authenticatorKey", "recoveryCodeHashes", "tokenHash",
        ];
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string[] Lines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}

public sealed class SqliteExportTests(SqliteExportApp app) : ExportTests(app), IClassFixture<SqliteExportApp>;

public sealed class PostgresExportTests(PostgresExportApp app) : ExportTests(app), IClassFixture<PostgresExportApp>;
