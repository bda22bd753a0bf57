using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Notifications;
using Helio.Server.Tests.Infrastructure;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;

namespace Helio.Server.Tests.Alarms;

/// <summary>
/// Alarms end to end, on a fake clock: a simulated logger talks to the real gateway, the test injects faults and
/// silences, and checks what the owner sees through the API and in their real mailbox.
/// </summary>
public abstract class AlarmJourneyTests(AlarmClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fault_RaisesAlarmWithinOnePoll_MailsTheOwner_AndClearsWhenTheFaultGoes()
    {
        var owner = await app.RegisterOwnerAsync();
        var site = await SiteAsync(owner, "Fault roof", app.NoonLongitude);
        await using var receiver = await WebhookReceiver.StartAsync();
        var hook = await (await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Monitoring", url = receiver.Url, plantId = site.PlantId }, Ct)).JsonAsync();
        var secret = hook.GetProperty("secret").GetString()!;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = RunAsync(site, stop.Token);
        await FirstReadingAsync(owner, site);

        site.Inverter.RaiseFault(5);
        var injectedAt = app.Clock.GetUtcNow();
        await NextPollAsync(owner, site);

        var alarm = await ActiveAlarmAsync(owner, site.PlantId, "ID05");
        Assert.Equal("fault", alarm.GetProperty("source").GetString());
        Assert.Equal("major", alarm.GetProperty("severity").GetString());
        Assert.Equal(site.InverterSerial, alarm.GetProperty("deviceSerial").GetString());
        Assert.True(alarm.GetProperty("raisedAt").GetDateTimeOffset() - injectedAt <= AlarmClockApp.PollInterval, "raised within one poll interval of the fault");
        var mail = await app.Mail.WaitForAsync(owner.Email, "Leakage current fault");
        Assert.Contains(site.InverterSerial, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/alarms/" + alarm.GetProperty("id").GetGuid(), mail.TextBody, StringComparison.Ordinal);

        var raised = await receiver.WaitForAsync(r => r.Body.Contains("\"alarm.raised\"", StringComparison.Ordinal));
        Assert.True(WebhookSignature.Verify(secret, raised.Header("Helio-Timestamp"), raised.Body, raised.Header("Helio-Signature"), app.Clock.GetUtcNow()), "the webhook's signature is valid");
        Assert.Equal("ID05", JsonDocument.Parse(raised.Body).RootElement.GetProperty("alarm").GetProperty("code").GetString());

        var explanation = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/{alarm.GetProperty("id").GetGuid()}/explanation", Ct);
        Assert.Equal("inverter-fault-bit", explanation.GetProperty("explanation").GetProperty("rule").GetString());
        Assert.Contains("ID05", explanation.GetProperty("explanation").GetProperty("inputs").GetProperty("active fault IDs").GetString(), StringComparison.Ordinal);

        // The fault stays for another poll: one alarm, not two.
        await NextPollAsync(owner, site);
        site.Inverter.ClearFaults();
        await NextPollAsync(owner, site);
        await Eventually.True(async () => (await AlarmsAsync(owner, site.PlantId, "cleared")).Any(a => a.GetProperty("code").GetString() == "ID05"), "the alarm cleared");
        var all = await AlarmsAsync(owner, site.PlantId, null);
        Assert.Single(all);
        await app.Mail.WaitForAsync(owner.Email, "Cleared: Leakage current fault");
        var cleared = await receiver.WaitForAsync(r => r.Body.Contains("\"alarm.cleared\"", StringComparison.Ordinal));
        Assert.True(WebhookSignature.Verify(secret, cleared.Header("Helio-Timestamp"), cleared.Body, cleared.Header("Helio-Signature"), app.Clock.GetUtcNow()));
        // One alarm, one raise and one clear: a repeat of the fault in the next poll told nobody again.
        Assert.Single(receiver.Requests, r => r.Body.Contains("\"alarm.raised\"", StringComparison.Ordinal));
        Assert.Single(app.Mail.To(owner.Email), m => (m.Subject ?? "").Contains("Major: Leakage current fault", StringComparison.Ordinal));

        // Acknowledging a cleared alarm leaves it for closing once stable; the owner may close it now.
        var id = all[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.PostAsync($"/api/v1/alarms/{id}/acknowledge", null, Ct)).StatusCode);
        var closed = await (await owner.Client.PostAsync($"/api/v1/alarms/{id}/close", null, Ct)).JsonAsync();
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task SilentInverter_IsOfflineByDay_ButNotAtNight_AndSilentLoggersAreOfflineEitherWay()
    {
        var owner = await app.RegisterOwnerAsync();
        var day = await SiteAsync(owner, "Day roof", app.NoonLongitude);
        var night = await SiteAsync(owner, "Night roof", app.MidnightLongitude);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var running = Task.WhenAll(RunAsync(day, stop.Token), RunAsync(night, stop.Token));
            await FirstReadingAsync(owner, day);
            await FirstReadingAsync(owner, night);
            await stop.CancelAsync();
            await running;
        }

        // Five polls of silence (the default) in daylight: the day plant's inverter is offline, the night one asleep.
        await app.AdvanceAsync(TimeSpan.FromMinutes(6));
        var offline = await ActiveAlarmAsync(owner, day.PlantId, "inverter-offline");
        Assert.Equal("offline-in-daylight", (await ExplanationAsync(owner, offline)).GetProperty("rule").GetString());
        Assert.Empty(await AlarmsAsync(owner, night.PlantId, "active"));

        // Loggers heartbeat day and night: ten silent minutes make both offline.
        await app.AdvanceAsync(TimeSpan.FromMinutes(5));
        await ActiveAlarmAsync(owner, night.PlantId, "logger-offline");
        await ActiveAlarmAsync(owner, day.PlantId, "logger-offline");
        Assert.DoesNotContain(await AlarmsAsync(owner, night.PlantId, null), a => a.GetProperty("code").GetString() == "inverter-offline");
    }

    [Fact]
    public async Task OwnersRule_RaisesAfterItsDuration_AndExplainsItself()
    {
        var owner = await app.RegisterOwnerAsync();
        var site = await SiteAsync(owner, "Rule roof", app.NoonLongitude);
        var created = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{site.PlantId}/alarm-rules",
            new { name = "Any power", metric = "activePowerW", comparison = ">", threshold = 1, durationSeconds = 90, severity = "info" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invalid = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{site.PlantId}/alarm-rules",
            new { name = "Bad", metric = "noSuchMetric", comparison = "~", threshold = 1 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("metric", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("comparison", out _));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = RunAsync(site, stop.Token);
        await FirstReadingAsync(owner, site);
        await NextPollAsync(owner, site);
        Assert.Empty(await AlarmsAsync(owner, site.PlantId, "active"));
        await NextPollAsync(owner, site);
        var alarm = await ActiveAlarmAsync(owner, site.PlantId, null, "rule");
        Assert.Equal("Any power", alarm.GetProperty("title").GetString());
        var explanation = await ExplanationAsync(owner, alarm);
        Assert.Equal("owner-threshold-rule", explanation.GetProperty("rule").GetString());
        Assert.Equal("activePowerW > 1", explanation.GetProperty("thresholds").GetProperty("condition").GetString());
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task AnotherOwnersAlarm_AnswersLikeAMissingOne()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var site = await SiteAsync(owner, "Private roof", app.NoonLongitude);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = RunAsync(site, stop.Token);
        await FirstReadingAsync(owner, site);
        site.Inverter.RaiseFault(1);
        await NextPollAsync(owner, site);
        var alarm = await ActiveAlarmAsync(owner, site.PlantId, "ID01");
        var id = alarm.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/alarms/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/alarms/{id}/explanation", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsync($"/api/v1/alarms/{id}/acknowledge", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{site.PlantId}/alarms", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/alarms/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Client.GetAsync($"/api/v1/plants/{site.PlantId}/alarms?severity=loud", Ct)).StatusCode);
        Assert.Single(await AlarmsAsync(owner, site.PlantId, "active", "major,critical"));
        Assert.Empty(await AlarmsAsync(owner, site.PlantId, "active", "info"));

        var review = await owner.Client.PostAsJsonAsync($"/api/v1/alarms/{id}/reviews", new { reason = "The grid was fine, I measured it." }, Ct);
        Assert.Equal(HttpStatusCode.Created, review.StatusCode);
        var detail = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/{id}", Ct);
        Assert.Equal("open", detail.GetProperty("reviews")[0].GetProperty("state").GetString());
        Assert.Contains(detail.GetProperty("history").EnumerateArray(), e => e.GetProperty("kind").GetString() == "review-requested");
        await stop.CancelAsync();
        await running;

        // The inverter leaves the plant with what it measured, its alarms too.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/devices/{site.InverterSerial}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/api/v1/alarms/{id}", Ct)).StatusCode);
    }

    private sealed record Site(Guid PlantId, uint LoggerSerial, string InverterSerial, SimulatedLogger Logger, SimulatedInverter Inverter);

    /// <summary>A plant on the equator at that longitude with a registered logger, and its simulated logger and inverter.</summary>
    private async Task<Site> SiteAsync(Owner owner, string name, double longitude)
    {
        var response = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name, latitude = 0.5, longitude, timeZone = "UTC", capacityKwp = 8 }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plantId = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var loggerSerial = (uint)Random.Shared.Next(1_000_000_000, 2_000_000_000);
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plantId}/devices", new { serialNumber = loggerSerial.ToString(System.Globalization.CultureInfo.InvariantCulture), kind = "logger" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var inverterSerial = "SA1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var inverter = new SimulatedInverter(inverterSerial, new SimulatedPlant(0.5, longitude, TimeZoneInfo.Utc, 8), seed: loggerSerial, index: 0);
        return new Site(plantId, loggerSerial, inverterSerial, new SimulatedLogger(loggerSerial, inverter, app.Clock), inverter);
    }

    private async Task RunAsync(Site site, CancellationToken cancellationToken)
    {
        var port = await app.GatewayPortAsync();
        try
        {
            await site.Logger.RunAsync("127.0.0.1", port, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits for the inverter to be adopted and its first reading stored (the first poll needs no clock move).</summary>
    private Task FirstReadingAsync(Owner owner, Site site) => ReadingAtAsync(owner, site, app.Clock.GetUtcNow(), "the first reading");

    /// <summary>
    /// Moves the clock one poll interval and waits until that poll's reading is stored. A session still busy storing
    /// the previous reading when the clock moves finds its next poll due already (polls keep a fixed rate) and polls at
    /// once; with a wait counted from after the storing, it slept through the move now and then, under load.
    /// </summary>
    private async Task NextPollAsync(Owner owner, Site site)
    {
        app.Clock.Advance(AlarmClockApp.PollInterval);
        await ReadingAtAsync(owner, site, app.Clock.GetUtcNow(), "the next poll's reading");
    }

    /// <summary>Waits for a reading of the inverter at <paramref name="at"/> or later.</summary>
    private async Task ReadingAtAsync(Owner owner, Site site, DateTimeOffset at, string what) =>
        await Eventually.True(async () =>
        {
            // The clock stands still between moves, and a range ends before its "to": ask up to a minute ahead.
            var from = Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var to = Uri.EscapeDataString(at.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            var response = await owner.Client.GetAsync($"/api/v1/devices/{site.InverterSerial}/readings?limit=1&from={from}&to={to}", Ct);
            return response.IsSuccessStatusCode && (await response.JsonAsync()).GetProperty("readings").GetArrayLength() > 0;
        }, what, TimeSpan.FromSeconds(30));

    private async Task<List<JsonElement>> AlarmsAsync(Owner owner, Guid plantId, string? state, string? severity = null)
    {
        var query = $"/api/v1/plants/{plantId}/alarms?limit=200" + (state is null ? "" : "&state=" + state) + (severity is null ? "" : "&severity=" + severity);
        var page = await owner.Client.GetFromJsonAsync<JsonElement>(query, Ct);
        return page.GetProperty("alarms").EnumerateArray().ToList();
    }

    private async Task<JsonElement> ActiveAlarmAsync(Owner owner, Guid plantId, string? code, string? source = null)
    {
        JsonElement found = default;
        await Eventually.True(async () =>
        {
            var match = (await AlarmsAsync(owner, plantId, "active")).Where(a =>
                (code is null || a.GetProperty("code").GetString() == code) && (source is null || a.GetProperty("source").GetString() == source)).ToList();
            if (match.Count == 1)
            {
                found = match[0];
            }
            return match.Count == 1;
        }, $"an active alarm {code ?? source}", TimeSpan.FromSeconds(30));
        return found;
    }

    private async Task<JsonElement> ExplanationAsync(Owner owner, JsonElement alarm) =>
        (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/{alarm.GetProperty("id").GetGuid()}/explanation", Ct)).GetProperty("explanation");
}

public sealed class SqliteAlarmJourneyTests(SqliteAlarmClockApp app) : AlarmJourneyTests(app), IClassFixture<SqliteAlarmClockApp>;

public sealed class PostgresAlarmJourneyTests(PostgresAlarmClockApp app) : AlarmJourneyTests(app), IClassFixture<PostgresAlarmClockApp>
{
    // The PostgreSQL fixture skips itself without HELIO_TEST_POSTGRES (RegisterOwnerAsync → Anonymous → RequireAvailable).
}
