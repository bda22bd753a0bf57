using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// What the clock decides, on a clock the test moves forward: a code dies after 10 minutes and a request never verified
/// after a day; privacy officers are reminded a week before a due date, once per due date however many runs (or nodes)
/// there are; an extension re-arms the reminder and must come within the first month. The clock is shifted, not fake:
/// a FakeTimeProvider fires every timer it jumps over, and a three-week jump ran the 200-ms notification loop millions
/// of times (eight minutes a test).
/// </summary>
public abstract class PrivacyClockTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACode_DiesAfterTenMinutes_AndARequest_AfterADay()
    {
        var owner = await app.RegisterOwnerAsync();
        var id = await owner.RequestAsync();
        var code = await app.CodeAsync(owner, id);

        app.Advance(VerificationCodes.Lifetime);
        var client = await FreshAsync(owner);
        var late = await client.PostAsJsonAsync($"/api/v1/me/requests/{id}/verify", new { code }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("expired", (await late.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        // A new code, with the password again, has ten minutes of its own.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/me/requests/{id}/code", new { password = owner.Password }, Ct)).StatusCode);
        // A minute short: the shifted clock runs on with real time while the test signs in again.
        app.Advance(VerificationCodes.Lifetime - TimeSpan.FromMinutes(1));
        client = await FreshAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/me/requests/{id}/verify", new { code = await app.CodeAsync(owner, id, nth: 2) }, Ct)).StatusCode);

        var abandoned = await (owner with { Client = client }).RequestAsync();
        var abandonedCode = await app.CodeAsync(owner, abandoned);
        app.Advance(TimeSpan.FromHours(24));
        client = await FreshAsync(owner);
        Assert.Equal("expired", (await (await client.GetAsync($"/api/v1/me/requests/{abandoned}", Ct)).JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/me/requests/{abandoned}/verify", new { code = abandonedCode }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/me/requests/{abandoned}/code", new { password = owner.Password }, Ct)).StatusCode);

        await Reminders.RunOnceAsync(Ct);
        var stored = await RequestAsync(abandoned);
        Assert.Equal(RequestState.Expired, stored.State);
        Assert.Null(stored.CodeHash);
        var history = (await (await client.GetAsync($"/api/v1/me/requests/{abandoned}", Ct)).JsonAsync()).GetProperty("history").EnumerateArray().Last();
        Assert.Equal("expired", history.GetProperty("event").GetString());
        Assert.Equal("Helio", history.GetProperty("who").GetString());
        Assert.Equal(RequestState.Verified, (await RequestAsync(id)).State); // a verified request never expires
    }

    [Fact]
    public async Task Officers_AreRemindedAWeekBeforeTheDueDate_OncePerDueDate()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var officerId = await officer.UserIdAsync();
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner);
        var due = (await RequestAsync(id)).DueAt;

        await Reminders.RunOnceAsync(Ct);
        Assert.Equal(0, await RemindersAsync(officer, officerId, id));

        // The start of the 7th day before the due date (DueAt is the midnight after it).
        app.Advance(due.AddDays(-8) - app.Clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        await Reminders.RunOnceAsync(Ct);
        Assert.Equal(0, await RemindersAsync(officer, officerId, id));
        app.Advance(TimeSpan.FromMinutes(2));
        // Two runs at once, as two nodes would: one reminder.
        await Task.WhenAll(Reminders.RunOnceAsync(Ct), Reminders.RunOnceAsync(Ct));
        await Reminders.RunOnceAsync(Ct);

        Assert.Equal(1, await RemindersAsync(officer, officerId, id));
        var mail = app.Mail.To(officer.Email).Single(m => (m.Subject ?? "").Contains("due soon", StringComparison.Ordinal) && m.TextBody!.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains("(7 days left)", mail.TextBody, StringComparison.Ordinal);

        // Still within the first month: an extension moves the date, and the reminder comes again a week before it.
        var extended = await (await FreshAsync(officer)).PostAsJsonAsync($"/api/v1/privacy/requests/{id}/extend", new { months = 1, reason = "Many plants" }, Ct);
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        await Reminders.RunOnceAsync(Ct);
        Assert.Equal(1, await RemindersAsync(officer, officerId, id));
        app.Advance((await RequestAsync(id)).DueAt.AddDays(-8) - app.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await Reminders.RunOnceAsync(Ct);
        Assert.Equal(2, await RemindersAsync(officer, officerId, id));
    }

    [Fact]
    public async Task AnExtension_MustBeToldWithinTheFirstMonth()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var id = await app.VerifiedRequestAsync(owner);

        app.Advance((await RequestAsync(id)).DueAt - app.Clock.GetUtcNow());
        var late = await (await FreshAsync(officer)).PostAsJsonAsync($"/api/v1/privacy/requests/{id}/extend", new { months = 1, reason = "Many plants" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Art. 12(3)", (await late.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listed = Assert.Single((await (await (await FreshAsync(officer)).GetAsync("/api/v1/privacy/requests", Ct)).JsonAsync()).EnumerateArray(),
            r => r.GetProperty("id").GetGuid() == id);
        Assert.Equal(-1, listed.GetProperty("daysLeft").GetInt32()); // overdue
    }

    private RequestReminders Reminders => app.Services.GetRequiredService<RequestReminders>();

    /// <summary>Access tokens last 15 minutes on this clock too.</summary>
    private async Task<HttpClient> FreshAsync(Owner user) => app.WithToken((await app.TokenAsync(user.Email, user.Password)).AccessToken);

    private async Task<PrivacyRequest> RequestAsync(Guid id)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PrivacyRequests.AsNoTracking().SingleAsync(r => r.Id == id, Ct);
    }

    /// <summary>Reminder mails the officer got that name the request, once every mail queued for them so far is out.</summary>
    private async Task<int> RemindersAsync(Owner officer, Guid officerId, Guid request)
    {
        await Eventually.True(async () =>
        {
            await using var scope = app.Scope();
            return !await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails
                .AnyAsync(m => m.UserId == officerId && m.SentAt == null && m.FailedAt == null, Ct);
        }, "the officer's mails to go out");
        return app.Mail.To(officer.Email).Count(m => (m.Subject ?? "").Contains("due soon", StringComparison.Ordinal)
            && m.TextBody!.Contains(request.ToString(), StringComparison.Ordinal));
    }
}

public sealed class SqlitePrivacyClockTests(SqlitePrivacyClockApp app) : PrivacyClockTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresPrivacyClockTests(PostgresPrivacyClockApp app) : PrivacyClockTests(app), IClassFixture<PostgresPrivacyClockApp>;
