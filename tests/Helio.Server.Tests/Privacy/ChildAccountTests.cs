using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Children below their country's age of digital consent (GDPR Art. 8): registration asks for a guardian's address,
/// the account cannot sign in until the guardian confirms through a single-use link, and is erased if nobody confirms
/// within 7 days, or at once when the guardian refuses; an admin erases a child's account found to lack consent.
/// </summary>
public abstract class ChildAccountTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_NeedsADateOfBirth_AndBelowTheThresholdAGuardiansAddress()
    {
        var anonymous = app.Anonymous();
        async Task<System.Text.Json.JsonElement> ErrorsAsync(object body)
        {
            var response = await anonymous.PostAsJsonAsync("/api/v1/account/register", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("errors");
        }
        var email = Owners.UniqueEmail("child");

        Assert.True((await ErrorsAsync(new { email, password = Owners.Password, name = "Kid", country = "DE" })).TryGetProperty("dateOfBirth", out _));
        Assert.True((await ErrorsAsync(new { email, password = Owners.Password, name = "Kid", country = "DE", dateOfBirth = "31.12.2010" })).TryGetProperty("dateOfBirth", out _));
        Assert.True((await ErrorsAsync(new { email, password = Owners.Password, name = "Kid", country = "DE", dateOfBirth = app.Clock.GetUtcNow().AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) })).TryGetProperty("dateOfBirth", out _));
        var missing = await ErrorsAsync(new { email, password = Owners.Password, name = "Kid", country = "DE", dateOfBirth = app.BornYearsAgo(15) });
        Assert.Contains("Under 16", missing.GetProperty("guardianEmail")[0].GetString(), StringComparison.Ordinal);
        var own = await ErrorsAsync(new { email, password = Owners.Password, name = "Kid", country = "DE", dateOfBirth = app.BornYearsAgo(15), guardianEmail = email });
        Assert.True(own.TryGetProperty("guardianEmail", out _));
        // 15 is old enough in France (15) but not in Germany (16): the country decides.
        var french = await anonymous.PostAsJsonAsync("/api/v1/account/register", new { email, password = Owners.Password, name = "Kid", country = "FR", dateOfBirth = app.BornYearsAgo(15) }, Ct);
        Assert.Equal(HttpStatusCode.Created, french.StatusCode);
        Assert.Equal("confirmation-sent", (await french.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PendingChild_CannotSignIn_AndOnlyTheRightPasswordLearnsWhy()
    {
        var (child, childId, guardian) = await RegisterChildAsync();
        await app.Mail.WaitForAsync(guardian, "Please confirm your child's Helio account");

        var right = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = child, password = Owners.Password }, Ct);
        var wrong = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = child, password = "not the password at all" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("parent or guardian", (await right.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        // A stranger guessing sees what any wrong password gets: nothing about a child or a guardian.
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("guardian", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        var entries = await app.AuditEntriesAsync();
        var pseudonym = await app.PseudonymOfAsync(childId);
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed && e.SubjectId == pseudonym && e.Detail!.Contains("awaiting-guardian", StringComparison.Ordinal));
        // The web form says the same.
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.PostFormAsync("/account/sign-in", "sign-in", new() { ["Input.Login"] = child, ["Input.Password"] = Owners.Password });
        Assert.Contains("waiting for a parent or guardian", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardianConfirmation_WorksOnce_AndReleasesTheAccount()
    {
        var (child, _, guardian) = await RegisterChildAsync();
        var token = await GuardianTokenAsync(guardian);
        var page = $"/account/guardian-consent?token={Uri.EscapeDataString(token)}";
        var html = await app.Anonymous().GetStringAsync(page, Ct);
        Assert.Contains("id=\"confirm\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Young Person", html, StringComparison.Ordinal);

        var first = await app.Anonymous().PostAsJsonAsync("/api/v1/account/guardian-consent", new { token, decision = "confirm" }, Ct);
        var second = await app.Anonymous().PostAsJsonAsync("/api/v1/account/guardian-consent", new { token, decision = "confirm" }, Ct);
        var refuseAfter = await app.Anonymous().PostAsJsonAsync("/api/v1/account/guardian-consent", new { token, decision = "refuse" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.True((await second.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.BadRequest, refuseAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync(page, Ct)).StatusCode);
        await app.Mail.WaitForAsync(child, "Your Helio account was confirmed");
        var tokens = await app.TokenAsync(child, Owners.Password);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task GuardianPage_ConfirmsByItsButton()
    {
        var (child, _, guardian) = await RegisterChildAsync();
        var page = $"/account/guardian-consent?token={Uri.EscapeDataString(await GuardianTokenAsync(guardian))}";
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var confirmed = await browser.PostFormAsync(page, "confirm");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("id=\"decided\"", await confirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await app.TokenAsync(child, Owners.Password);
    }

    [Fact]
    public async Task GuardianRefusal_ErasesTheAccountAtOnce()
    {
        var (child, childId, guardian) = await RegisterChildAsync();
        var token = await GuardianTokenAsync(guardian);
        var pseudonym = await app.PseudonymAsync(childId);

        var refused = await app.Anonymous().PostAsJsonAsync("/api/v1/account/guardian-consent", new { token, decision = "refuse" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, refused.StatusCode);
        Assert.False(await app.UserExistsAsync(childId));
        var erased = await app.ErasureEntryAsync(pseudonym);
        Assert.Equal(AuditActorKind.Anonymous, erased.ActorKind);
        Assert.Contains(ErasureReasons.GuardianRefused, erased.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login = child, password = Owners.Password }, Ct)).StatusCode);
    }

    [Fact]
    public async Task NobodyConfirms_TheAccountIsErasedAfterSevenDays_NotBefore()
    {
        var (_, childId, guardian) = await RegisterChildAsync();
        var token = await GuardianTokenAsync(guardian);
        var pseudonym = await app.PseudonymAsync(childId);

        app.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await app.RunRetentionAsync();
        Assert.True(await app.UserExistsAsync(childId));

        app.Advance(TimeSpan.FromMinutes(2));
        var late = await app.Anonymous().PostAsJsonAsync("/api/v1/account/guardian-consent", new { token, decision = "confirm" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        var run = await app.RunRetentionAsync();

        Assert.False(await app.UserExistsAsync(childId));
        Assert.True(run.Deleted["children-without-consent"] >= 1);
        var erased = await app.ErasureEntryAsync(pseudonym);
        Assert.Equal(AuditActorKind.System, erased.ActorKind);
        Assert.Contains(ErasureReasons.NoGuardianConsent, erased.Detail, StringComparison.Ordinal);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Fact]
    public async Task AdminErasesAChildWithoutConsent_Audited_AndNobodyElseMay()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var support = await app.RegisterStaffAsync(Roles.Support);
        // A child who said they were an adult: confirmed, signed in, with a plant.
        var child = await app.RegisterOwnerAsync(Owners.UniqueEmail("child"));
        var childId = await child.UserIdAsync();
        await child.CreatePlantAsync("Kid's roof");
        var pseudonym = await app.PseudonymAsync(childId);

        var bySupport = await support.Client.PostAsJsonAsync("/api/v1/admin/child-accounts/erase", new { email = child.Email, confirm = true }, Ct);
        var unconfirmed = await admin.Client.PostAsJsonAsync("/api/v1/admin/child-accounts/erase", new { email = child.Email }, Ct);
        var unknown = await admin.Client.PostAsJsonAsync("/api/v1/admin/child-accounts/erase", new { email = Owners.UniqueEmail("nobody"), confirm = true }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, bySupport.StatusCode);
        Assert.True((await unconfirmed.JsonAsync()).GetProperty("errors").TryGetProperty("confirm", out _));
        Assert.True((await unknown.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.True(await app.UserExistsAsync(childId));

        var erased = await admin.Client.PostAsJsonAsync("/api/v1/admin/child-accounts/erase", new { email = child.Email, confirm = true }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.False(await app.UserExistsAsync(childId));
        var adminPseudonym = await app.PseudonymOfAsync(await admin.UserIdAsync());
        var entry = await app.ErasureEntryAsync(pseudonym);
        Assert.Equal(AuditActorKind.User, entry.ActorKind);
        Assert.Equal(adminPseudonym, entry.ActorId);
        Assert.Contains(ErasureReasons.ChildWithoutConsent, entry.Detail, StringComparison.Ordinal);
        // The child's session died with the account.
        Assert.Equal(HttpStatusCode.Unauthorized, (await child.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Null(await app.PseudonymOfAsync(childId));
    }

    [Fact]
    public async Task AdminPage_ListsWaitingChildren_WithoutNames_AndErasesByForm()
    {
        var admin = await app.RegisterStaffAsync(Roles.Admin);
        var (child, childId, _) = await RegisterChildAsync();
        var browser = await app.SignedInAsync(admin);

        var page = await browser.GetStringAsync("/admin/privacy", Ct);
        Assert.Contains($"data-user=\"{childId}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(child, page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("data-region=\"GB\"", page, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"audit-entries\"", page, StringComparison.Ordinal);
        // The tests run the job themselves, so it is paused here, and the page says so.
        Assert.Contains("id=\"retention-paused\"", page, StringComparison.Ordinal);

        var erased = await browser.PostFormAsync("/admin/privacy", "erase-child", new() { ["Input.Email"] = child, ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        Assert.False(await app.UserExistsAsync(childId));
        var stranger = await app.SignedInAsync(await app.RegisterOwnerAsync());
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync("/admin/privacy", Ct)).StatusCode);
    }

    private async Task<(string Email, Guid Id, string Guardian)> RegisterChildAsync()
    {
        var email = Owners.UniqueEmail("child");
        var guardian = Owners.UniqueEmail("parent");
        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/account/register",
            new { email, password = Owners.Password, name = "Young Person", country = "DE", dateOfBirth = app.BornYearsAgo(14), guardianEmail = guardian }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("guardian-confirmation-sent", (await response.JsonAsync()).GetProperty("status").GetString());
        var mail = await app.Mail.WaitForAsync(email, "Confirm your Helio account");
        Assert.Contains("parent or guardian", mail.TextBody, StringComparison.Ordinal);
        var id = Owners.LinkParameters(mail.TextBody!, "/account/confirm-email").UserId;
        // The guardian is asked only once the child's own address is confirmed: registering someone else's address as a
        // child's, with one's own as the guardian's, must not tell by a mail whether that address has an account.
        Assert.False(await GuardianMailQueuedAsync(id));
        await app.ConfirmFromMailAsync(email);
        Assert.True(await GuardianMailQueuedAsync(id));
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var consent = await db.Set<GuardianConsent>().SingleAsync(g => g.UserId == id, Ct);
        Assert.Equal(16, consent.Threshold);
        Assert.NotNull(consent.MailedAt);
        Assert.Null(consent.ConfirmedAt);
        return (email, id, guardian);
    }

    private async Task<bool> GuardianMailQueuedAsync(Guid childId)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().OutboxMails.AnyAsync(m => m.UserId == childId && m.Template == "guardian-consent", Ct);
    }

    private async Task<string> GuardianTokenAsync(string guardian)
    {
        var mail = await app.Mail.WaitForAsync(guardian, "Please confirm your child's Helio account");
        Assert.Contains("Young Person", mail.TextBody, StringComparison.Ordinal);
        return Owners.LinkQuery(mail.TextBody!, "/account/guardian-consent", "token");
    }
}

public sealed class SqliteChildAccountTests(SqlitePrivacyClockApp app) : ChildAccountTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresChildAccountTests(PostgresPrivacyClockApp app) : ChildAccountTests(app), IClassFixture<PostgresPrivacyClockApp>;
