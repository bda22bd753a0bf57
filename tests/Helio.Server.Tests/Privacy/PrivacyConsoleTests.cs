using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Helio.Server.Tests.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// The privacy officer's console over the API: only the dpo role gets in; it lists what is actionable; opening a
/// request is audited; start, complete, refuse (with the complaint route), extend (at most two months, reason mailed),
/// a fee (once, reason mailed); nobody handles their own request; repetition is flagged; a review of an alarm and a
/// correction with its data repair, end to end.
/// </summary>
public abstract class PrivacyConsoleTests(PrivacyApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheConsole_IsThePrivacyOfficersAlone()
    {
        var owner = await app.RegisterOwnerAsync();
        var request = await app.VerifiedRequestAsync(owner);
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);

        foreach (var other in new[] { owner, await app.RegisterStaffAsync(Roles.Admin), await app.RegisterStaffAsync(Roles.Support) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.GetAsync("/api/v1/privacy/requests", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.GetAsync($"/api/v1/privacy/requests/{request}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.PostAsync($"/api/v1/privacy/requests/{request}/start", null, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/privacy/requests", Ct)).StatusCode);
        Assert.Contains(await ListAsync(officer), r => r.GetProperty("id").GetGuid() == request);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.Client.GetAsync($"/api/v1/privacy/requests/{Guid.NewGuid()}", Ct)).StatusCode);
        Assert.Equal("verified", (await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task TheList_ShowsActionableRequests_AndOpeningOneIsAudited()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var unverified = await owner.RequestAsync();
        var verified = await app.VerifiedRequestAsync(owner, new { kind = "correction", data = "Yesterday's readings", problem = "A spike of 90 kW at noon" });
        await app.Mail.WaitForAsync(officer.Email, "New privacy request: correction request");

        var open = await ListAsync(officer);
        var listed = Assert.Single(open, r => r.GetProperty("id").GetGuid() == verified);
        Assert.DoesNotContain(open, r => r.GetProperty("id").GetGuid() == unverified);
        Assert.Contains(await ListAsync(officer, "unverified"), r => r.GetProperty("id").GetGuid() == unverified);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.Client.GetAsync("/api/v1/privacy/requests?state=everything", Ct)).StatusCode);
        Assert.Equal("o***@e***.com", listed.GetProperty("requester").GetString());
        Assert.True(listed.GetProperty("actionable").GetBoolean());
        Assert.InRange(listed.GetProperty("daysLeft").GetInt32(), 27, 31);
        Assert.DoesNotContain("90 kW", listed.ToString(), StringComparison.Ordinal); // the list reads no details

        var detail = await (await officer.Client.GetAsync($"/api/v1/privacy/requests/{verified}", Ct)).JsonAsync();

        Assert.Equal("A spike of 90 kW at noon", detail.GetProperty("details").GetProperty("problem").GetString());
        Assert.Equal(["received", "code-sent", "verified"], detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("event").GetString()!).ToArray());
        Assert.Equal("the requester", detail.GetProperty("history")[0].GetProperty("who").GetString());
        Assert.Equal(1, detail.GetProperty("sameKindIn12Months").GetInt32());
        var viewed = Assert.Single(await app.AuditEntriesAsync(), e => e.Action == AuditActions.PrivacyRequestViewed && e.Target == verified.ToString());
        Assert.Equal(await app.PseudonymOfAsync(await owner.UserIdAsync()), viewed.SubjectId);
        var log = await (await owner.Client.GetAsync("/api/v1/account/access-log", Ct)).JsonAsync();
        Assert.Contains(log.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == AuditActions.PrivacyRequestViewed);
    }

    [Fact]
    public async Task StartAndComplete_TellTheRequesterTheOutcome()
    {
        var owner = await app.RegisterOwnerAsync();
        // A kind Helio does not carry out itself (a cancellation now completes at once, ADR 0026): an officer answers it.
        var request = await app.VerifiedRequestAsync(owner, new { kind = "correction", data = "Readings", problem = "A spike of 90 kW" });
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);

        var started = await officer.Client.PostAsync($"/api/v1/privacy/requests/{request}/start", null, Ct);
        Assert.Equal("in-progress", (await started.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await officer.Client.PostAsync($"/api/v1/privacy/requests/{request}/start", null, Ct)).StatusCode);
        var empty = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/complete", new { outcome = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.JsonAsync()).GetProperty("errors").TryGetProperty("outcome", out _));

        var completed = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/complete", new { outcome = "We removed the spike from your readings." }, Ct);

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var mail = await app.Mail.WaitForAsync(owner.Email, "Your correction request is answered");
        Assert.Contains("We removed the spike from your readings.", mail.TextBody, StringComparison.Ordinal);
        var seen = await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync();
        Assert.Equal("completed", seen.GetProperty("state").GetString());
        Assert.Equal("We removed the spike from your readings.", seen.GetProperty("answer").GetProperty("outcome").GetString());
        Assert.Equal("a privacy officer", seen.GetProperty("history").EnumerateArray().Last().GetProperty("who").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/refuse", new { reason = "Too late" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task ARefusal_CarriesItsReason_AndTheRouteToComplain()
    {
        var owner = await app.RegisterOwnerAsync();
        // A kind Helio does not carry out by itself: a verified deletion goes straight to the deletion job (ADR 0026).
        var request = await app.VerifiedRequestAsync(owner, new { kind = "correction", data = "Readings", problem = "Wrong on 1 May" });
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);

        var noReason = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/refuse", new { complaintRoute = "Write to us" }, Ct);
        var refused = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/refuse", new { reason = "Tax law keeps invoices for ten years." }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("refused", (await refused.JsonAsync()).GetProperty("state").GetString());
        var mail = await app.Mail.WaitForAsync(owner.Email, "Your correction request was refused");
        Assert.Contains("Tax law keeps invoices for ten years.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(PrivacyApp.Authority, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(PrivacyApp.ContactEmail, mail.TextBody, StringComparison.Ordinal);
        var refusal = (await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync()).GetProperty("answer").GetProperty("refusal");
        Assert.Equal("Tax law keeps invoices for ten years.", refusal.GetProperty("reason").GetString());
        Assert.Contains(PrivacyApp.Authority, refusal.GetProperty("complaintRoute").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extensions_AreAtMostTwoMonths_AndTheirReasonIsMailed()
    {
        var owner = await app.RegisterOwnerAsync();
        var request = await app.VerifiedRequestAsync(owner);
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var received = (await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync()).GetProperty("receivedAt").GetDateTimeOffset();

        Assert.Equal(HttpStatusCode.BadRequest, (await ExtendAsync(3, "Very many plants")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ExtendAsync(1, null)).StatusCode);
        var once = await ExtendAsync(1, "Ten years of readings to gather");
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        Assert.Equal(Date(DueDates.DueDate(received, 2)), (await once.JsonAsync()).GetProperty("dueDate").GetString());
        var mail = await app.Mail.WaitForAsync(owner.Email, "We need more time");
        Assert.Contains("Ten years of readings to gather", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("by 1 month", mail.TextBody, StringComparison.Ordinal);

        var tooMuch = await ExtendAsync(2, "Even more");
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("1 month already", (await tooMuch.JsonAsync()).GetProperty("errors").GetProperty("months")[0].GetString(), StringComparison.Ordinal);
        var twice = await ExtendAsync(1, "The archive is on tape");
        Assert.Equal(Date(DueDates.DueDate(received, 3)), (await twice.JsonAsync()).GetProperty("dueDate").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await ExtendAsync(1, "One more")).StatusCode);

        var seen = await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync();
        Assert.Equal(2, seen.GetProperty("extendedMonths").GetInt32());
        Assert.Equal(["Ten years of readings to gather", "The archive is on tape"],
            seen.GetProperty("answer").GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).ToArray());

        Task<HttpResponseMessage> ExtendAsync(int months, string? reason) =>
            officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/extend", new { months, reason }, Ct);
    }

    [Fact]
    public async Task AFee_IsRecordedOnce_WithItsReason()
    {
        var owner = await app.RegisterOwnerAsync();
        var request = await app.VerifiedRequestAsync(owner);
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        const string reason = "The fifth copy this year: the cost of producing it.";

        Assert.Equal(HttpStatusCode.BadRequest, (await FeeAsync(0m, "EUR")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await FeeAsync(10.001m, "EUR")).StatusCode);
        var badCurrency = await FeeAsync(25.5m, "euro");
        Assert.True((await badCurrency.JsonAsync()).GetProperty("errors").TryGetProperty("currency", out _));
        var recorded = await FeeAsync(25.5m, "eur");

        Assert.True((await recorded.JsonAsync()).GetProperty("feeRecorded").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await FeeAsync(30m, "EUR")).StatusCode);
        var mail = await app.Mail.WaitForAsync(owner.Email, "A fee for your request");
        Assert.Contains("25.50 EUR", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(reason, mail.TextBody, StringComparison.Ordinal);
        var fee = (await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync()).GetProperty("answer").GetProperty("fee");
        Assert.Equal(25.5m, fee.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", fee.GetProperty("currency").GetString());

        Task<HttpResponseMessage> FeeAsync(decimal amount, string currency) =>
            officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{request}/fee", new { amount, currency, reason }, Ct);
    }

    [Fact]
    public async Task AnOfficersOwnRequest_IsAnotherOfficersToHandle()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var colleague = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var own = await app.VerifiedRequestAsync(officer);

        var self = await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{own}/complete", new { outcome = "Done by me" }, Ct);
        var other = await colleague.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{own}/complete", new { outcome = "Done by a colleague" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.True((await (await officer.Client.GetAsync($"/api/v1/privacy/requests/{own}", Ct)).JsonAsync()).GetProperty("ownRequest").GetBoolean());
    }

    [Fact]
    public async Task RepeatedRequests_OfOneKind_AreFlaggedPossiblyExcessive()
    {
        var owner = await app.RegisterOwnerAsync();
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var exports = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            exports.Add(await app.VerifiedRequestAsync(owner));
        }
        var deletion = await app.VerifiedRequestAsync(owner, new { kind = "deletion", ground = "no-longer-used" });

        var flags = (await ListAsync(officer)).ToDictionary(r => r.GetProperty("id").GetGuid(), r => r.GetProperty("possiblyExcessive").GetBoolean());

        // The default allows three a year: the fourth is flagged, another kind is not.
        Assert.Equal([false, false, false, true], exports.Select(e => flags[e]).ToArray());
        Assert.False(flags[deletion]);
        Assert.Equal(4, (await (await officer.Client.GetAsync($"/api/v1/privacy/requests/{exports[3]}", Ct)).JsonAsync()).GetProperty("sameKindIn12Months").GetInt32());
    }

    [Fact]
    public async Task AnAlarm_IsAnAutomatedDecision_ThatAPersonReviews()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Reviewed roof");
        var serial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct)).EnsureSuccessStatusCode();
        var alarm = await app.RaiseAsync(plant, serial, "ID05", AlarmSeverity.Major, "Grid overvoltage");
        var stranger = await app.RegisterOwnerAsync();
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);

        var decision = Assert.Single((await (await owner.Client.GetAsync("/api/v1/me/decisions", Ct)).JsonAsync()).EnumerateArray());
        Assert.Equal($"alarm:{alarm.Id}", decision.GetProperty("id").GetString());
        Assert.Equal("inverter-fault-bit", decision.GetProperty("rule").GetString());
        Assert.Equal("ID05", decision.GetProperty("inputs").GetProperty("active fault IDs").GetString());
        Assert.Equal("Reviewed roof", decision.GetProperty("plantName").GetString());
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/me/decisions", Ct)).JsonAsync()).EnumerateArray());
        var foreign = await stranger.Client.PostAsJsonAsync("/api/v1/me/requests", new { kind = "review", password = stranger.Password, decision = $"alarm:{alarm.Id}", reason = "Not mine" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);

        var review = await app.VerifiedRequestAsync(owner, new { kind = "review", decision = $"alarm:{alarm.Id}", reason = "The grid was fine that day." });
        Assert.Equal(review, Assert.Single((await (await owner.Client.GetAsync("/api/v1/me/decisions", Ct)).JsonAsync()).EnumerateArray()).GetProperty("reviewRequestId").GetGuid());
        var seenByOfficer = await (await officer.Client.GetAsync($"/api/v1/privacy/requests/{review}", Ct)).JsonAsync();
        Assert.Equal($"alarm:{alarm.Id}", seenByOfficer.GetProperty("decision").GetString());
        Assert.Equal("The grid was fine that day.", seenByOfficer.GetProperty("details").GetProperty("reason").GetString());
        (await officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{review}/complete", new { outcome = "Reviewed by hand: the inverter did report ID05; the alarm stands." }, Ct)).EnsureSuccessStatusCode();

        var answered = await (await owner.Client.GetAsync($"/api/v1/me/requests/{review}", Ct)).JsonAsync();
        Assert.Equal("Reviewed by hand: the inverter did report ID05; the alarm stands.", answered.GetProperty("answer").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ACorrection_RepairsTheWrongReadings_AndTheFiguresOnThem()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Repaired roof");
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        var day = LocalPeriods.LocalDate(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), berlin).AddDays(-1);
        var readings = SunnyDay.Readings(serial, day, berlin, out _);
        await StoredReadings.StoreAsync(app, readings, Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);
        var (dayStart, dayEnd) = LocalPeriods.DayRange(day, berlin);
        var noon = DateTimeOffset.FromUnixTimeMilliseconds(dayStart) + TimeSpan.FromHours(12);
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var other = await app.RegisterOwnerAsync();
        var othersPlant = await other.CreatePlantAsync();
        var othersSerial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        (await other.Client.PostAsJsonAsync($"/api/v1/plants/{othersPlant}/devices", new { serialNumber = othersSerial, kind = "inverter" }, Ct)).EnsureSuccessStatusCode();
        var export = await app.VerifiedRequestAsync(owner);
        var request = await app.VerifiedRequestAsync(owner, new
        {
            kind = "correction", data = "Readings of my inverter", problem = "Noon to one o'clock shows 90 kW", plantId = plant, deviceSerial = serial,
            from = noon, to = noon.AddHours(1),
        });

        Assert.Equal(HttpStatusCode.BadRequest, (await RepairAsync(request, othersSerial, noon, noon.AddHours(1))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await RepairAsync(export, serial, noon, noon.AddHours(1))).StatusCode);
        var repaired = await RepairAsync(request, serial, noon, noon.AddHours(1));

        Assert.Equal(HttpStatusCode.OK, repaired.StatusCode);
        Assert.Equal("in-progress", (await repaired.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(readings.Count - 12, (await StoredReadings.OfAsync(app, serial, Ct)).Count);
        await SunnyDay.RollUpAllAsync(app, Ct);
        var (noonMs, oneMs) = (noon.ToUnixTimeMilliseconds(), noon.AddHours(1).ToUnixTimeMilliseconds());
        Assert.Equal(0, await FiveMinuteRowsAsync(plant, noonMs, oneMs));
        Assert.Equal(12 * 12, await FiveMinuteRowsAsync(plant, dayStart, noonMs)); // what came before is untouched
        Assert.True(await DayRowAsync(plant, day));
        var repair = Assert.Single((await (await owner.Client.GetAsync($"/api/v1/me/requests/{request}", Ct)).JsonAsync()).GetProperty("answer").GetProperty("repairs").EnumerateArray());
        Assert.Equal(12, repair.GetProperty("readingsDeleted").GetInt64());
        Assert.Equal("Deleted the hour of readings the inverter misreported.", repair.GetProperty("note").GetString());
        var audited = Assert.Single(await app.AuditEntriesAsync(), e => e.Action == AuditActions.PrivacyDataRepaired && e.Target == request.ToString());
        Assert.Equal(plant, audited.PlantId);

        // A whole day of wrong readings: nothing is left of it, so no figure of it is either.
        (await RepairAsync(request, serial, DateTimeOffset.FromUnixTimeMilliseconds(dayStart), DateTimeOffset.FromUnixTimeMilliseconds(dayEnd))).EnsureSuccessStatusCode();
        await SunnyDay.RollUpAllAsync(app, Ct);
        Assert.Empty(await StoredReadings.OfAsync(app, serial, Ct));
        Assert.False(await DayRowAsync(plant, day));

        Task<HttpResponseMessage> RepairAsync(Guid id, string device, DateTimeOffset from, DateTimeOffset to) =>
            officer.Client.PostAsJsonAsync($"/api/v1/privacy/requests/{id}/repair",
                new { deviceSerial = device, from, to, note = "Deleted the hour of readings the inverter misreported." }, Ct);
    }

    private async Task<int> FiveMinuteRowsAsync(Guid plant, long from, long to)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PlantRollups
            .CountAsync(r => r.PlantId == plant && r.Level == RollupLevel.FiveMinutes && r.Period >= from && r.Period < to, Ct);
    }

    private async Task<bool> DayRowAsync(Guid plant, DateOnly day)
    {
        await using var scope = app.Scope();
        var key = LocalPeriods.DayKey(day);
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PlantRollups
            .AnyAsync(r => r.PlantId == plant && r.Level == RollupLevel.Day && r.Period == key, Ct);
    }

    private static async Task<List<System.Text.Json.JsonElement>> ListAsync(Owner officer, string? state = null) =>
        [.. (await (await officer.Client.GetAsync("/api/v1/privacy/requests" + (state is null ? "" : $"?state={state}"), Ct)).JsonAsync()).EnumerateArray()];

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class SqlitePrivacyConsoleTests(SqlitePrivacyApp app) : PrivacyConsoleTests(app), IClassFixture<SqlitePrivacyApp>;

public sealed class PostgresPrivacyConsoleTests(PostgresPrivacyApp app) : PrivacyConsoleTests(app), IClassFixture<PostgresPrivacyApp>;
