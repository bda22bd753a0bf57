using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Access;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Consent per purpose: the service's at registration, the optional ones given and withdrawn alike (API and page), one
/// record per decision, appended and never changed — not even by SQL behind the application's back.
/// </summary>
public abstract class ConsentTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_RecordsTheServiceConsent_UnderThePolicyAccepted_AndNothingOptional()
    {
        var owner = await app.RegisterOwnerAsync();

        var consents = await owner.ConsentsAsync();
        var history = await owner.ConsentHistoryAsync();

        var service = consents.Purpose("service");
        Assert.True(service.GetProperty("given").GetBoolean());
        Assert.True(service.GetProperty("required").GetBoolean());
        var accepted = (await owner.StandingAsync()).GetProperty("accepted").GetString();
        Assert.Equal(accepted, service.GetProperty("policyVersion").GetString());
        foreach (var optional in new[] { "analytics", "marketing", "installer-sharing" })
        {
            Assert.False(consents.Purpose(optional).GetProperty("given").GetBoolean());
            Assert.False(consents.Purpose(optional).GetProperty("required").GetBoolean());
            Assert.False(string.IsNullOrEmpty(consents.Purpose(optional).GetProperty("description").GetString()));
        }
        var record = Assert.Single(history.EnumerateArray());
        Assert.Equal("registration", record.GetProperty("method").GetString());
    }

    [Fact]
    public async Task EveryDecision_IsAppended_AndTheLatestIsTheState()
    {
        var owner = await app.RegisterOwnerAsync();

        await owner.ConsentAsync("analytics", true);
        await owner.ConsentAsync("analytics", false);
        await owner.ConsentAsync("analytics", true);
        var both = await owner.Client.PutAsJsonAsync("/api/v1/me/consents", new Dictionary<string, bool> { ["marketing"] = true, ["analytics"] = true }, Ct);

        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        // analytics was given already: only marketing is a decision.
        var history = (await owner.ConsentHistoryAsync()).EnumerateArray()
            .Select(r => (r.GetProperty("purpose").GetString(), r.GetProperty("given").GetBoolean(), r.GetProperty("method").GetString())).ToList();
        Assert.Equal([("marketing", true, "api"), ("analytics", true, "api"), ("analytics", false, "api"), ("analytics", true, "api"), ("service", true, "registration")], history);
        var consents = await both.JsonAsync();
        Assert.True(consents.Purpose("analytics").GetProperty("given").GetBoolean());
        Assert.True(consents.Purpose("marketing").GetProperty("given").GetBoolean());
        var userId = await owner.UserIdAsync();
        var audited = (await app.AuditAsync(subjectUserId: userId)).Where(e => e.Action.StartsWith("privacy.consent", StringComparison.Ordinal)).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.ConsentGiven, AuditActions.ConsentWithdrawn, AuditActions.ConsentGiven, AuditActions.ConsentGiven], audited);
    }

    [Fact]
    public async Task ConsentRecords_CannotBeChangedOrRemoved_EvenBySqlBehindTheApplication()
    {
        var owner = await app.RegisterOwnerAsync();
        await owner.ConsentAsync("marketing", true);
        await owner.ConsentAsync("marketing", false);
        var userId = await owner.UserIdAsync();
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var records = db.ConsentRecords.Where(c => c.UserId == userId);

        await Assert.ThrowsAnyAsync<Exception>(() => records.ExecuteUpdateAsync(s => s.SetProperty(c => c.Given, true), Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => records.ExecuteDeleteAsync(Ct));
        var tracked = await records.FirstAsync(c => c.Purpose == "marketing" && !c.Given, Ct);
        db.ConsentRecords.Remove(tracked);
        await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();

        var history = await owner.ConsentHistoryAsync();
        Assert.Equal(3, history.GetArrayLength());
        Assert.False((await owner.ConsentsAsync()).Purpose("marketing").GetProperty("given").GetBoolean());
    }

    [Fact]
    public async Task BadDecisions_AnswerProblemsNamingTheField_AndRecordNothing()
    {
        var owner = await app.RegisterOwnerAsync();

        async Task<string[]> ErrorsAsync(string json)
        {
            var response = await owner.Client.PutAsync("/api/v1/me/consents", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return [.. (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name)];
        }

        Assert.Equal(["body"], await ErrorsAsync("{}"));
        Assert.Equal(["tracking"], await ErrorsAsync("""{"tracking": true}"""));
        Assert.Equal(["service"], await ErrorsAsync("""{"service": false}"""));
        Assert.Equal(["analytics"], await ErrorsAsync("""{"analytics": "yes"}"""));
        Assert.Single((await owner.ConsentHistoryAsync()).EnumerateArray());
    }

    [Fact]
    public async Task ThePrivacyPage_GivesAndWithdrawsInOneClick_AndShowsEveryDecision()
    {
        var owner = await app.RegisterOwnerAsync();
        var browser = await app.SignedInAsync(owner);

        var given = await browser.PostFormAsync("/account/privacy", "consent-marketing");
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        Assert.Contains("data-purpose=\"marketing\" data-given=\"true\"", await browser.GetStringAsync("/account/privacy", Ct), StringComparison.Ordinal);
        var withdrawn = await browser.PostFormAsync("/account/privacy", "consent-marketing");
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);

        var page = await browser.GetStringAsync("/account/privacy", Ct);
        Assert.Contains("data-purpose=\"marketing\" data-given=\"false\"", page, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(page, "<tr data-record="));
        var methods = (await owner.ConsentHistoryAsync()).EnumerateArray().Select(r => r.GetProperty("method").GetString()).ToList();
        Assert.Equal(["web", "web", "registration"], methods);
        // The service purpose has no button: it is withdrawn by cancelling the account.
        Assert.DoesNotContain("consent-service", page, StringComparison.Ordinal);
    }
}

public sealed class SqliteConsentTests(SqliteApp app) : ConsentTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresConsentTests(PostgresApp app) : ConsentTests(app), IClassFixture<PostgresApp>;
