using System.Net;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Deletion;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Cancellation and deletion as a browser does them (cookie session from the sign-in form, forms posted with their
/// antiforgery token): the account page's "Apply for cancellation", the request form with the password, the code.
/// </summary>
public abstract class DeletionPagesTests(PrivacyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyForCancellation_OnTheWeb_SignsOut_AndSigningInAgainWithdrawsIt()
    {
        app.RequireAvailable();
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        var browser = await app.SignedInAsync(person);
        Assert.Contains("href=\"/account/requests/new/cancellation\"", await browser.GetStringAsync("/account/security", Ct), StringComparison.Ordinal);

        var made = await browser.PostFormAsync("/account/requests/new/cancellation", "new-request", new() { ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var path = made.Headers.Location!.OriginalString;
        var id = Guid.Parse(path[(path.LastIndexOf('/') + 1)..]);
        var verified = await browser.PostFormAsync(path, "verify", new() { ["CodeInput.Code"] = await app.CodeAsync(person, id) });

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.EndsWith("/account/cancelled", verified.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("id=\"sign-in-to-withdraw\"", await app.Anonymous().GetStringAsync("/account/cancelled", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account/security", Ct)).StatusCode);

        await app.SignedInAsync(person);

        await app.Mail.WaitForAsync(person.Email, "[Helio] Your account cancellation is withdrawn");
        app.Clock.MoveTo(app.Clock.GetUtcNow().AddDays(15));
        await app.RunRetentionAsync();
        Assert.True(await app.UserExistsAsync(personId));
        app.Clock.Reset();
    }

    [Fact]
    public async Task Deletion_OnTheWeb_ErasesTheAccount_AndEndsTheSession()
    {
        app.RequireAvailable();
        var person = await app.RegisterOwnerAsync();
        var personId = await person.UserIdAsync();
        var browser = await app.SignedInAsync(person);

        var made = await browser.PostFormAsync("/account/requests/new/deletion", "new-request",
            new() { ["Input.Ground"] = "no-consent", ["Input.Password"] = person.Password });
        var path = made.Headers.Location!.OriginalString;
        var verified = await browser.PostFormAsync(path, "verify", new() { ["CodeInput.Code"] = await app.CodeAsync(person, Guid.Parse(path[(path.LastIndexOf('/') + 1)..])) });
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);

        await Eventually.True(async () => !await app.UserExistsAsync(personId), "the account was never erased");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account/security", Ct)).StatusCode);
        await app.Mail.WaitForAsync(person.Email, "[Helio] Your personal data is being erased");
    }

    [Fact]
    public async Task TheConsole_OffersNoStartOrCompleteForADeletion_HelioCarriesItOut()
    {
        app.RequireAvailable();
        var person = await app.RegisterOwnerAsync();
        var officer = await app.SignedInAsync(await app.RegisterStaffAsync(Roles.PrivacyOfficer));
        string page;
        await using (await app.HoldJobAsync(DeletionJob.Job))
        {
            var request = await app.VerifiedRequestAsync(person, new { kind = "deletion", ground = "no-longer-used" });
            page = await officer.GetStringAsync($"/privacy/requests/{request}", Ct);
        }

        Assert.Contains("id=\"helio-answers\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"refuse-submit\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"extend-submit\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"start-submit\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"complete-submit\"", page, StringComparison.Ordinal);
    }
}

public sealed class SqliteDeletionPagesTests(SqlitePrivacyClockApp app) : DeletionPagesTests(app), IClassFixture<SqlitePrivacyClockApp>;

public sealed class PostgresDeletionPagesTests(PostgresPrivacyClockApp app) : DeletionPagesTests(app), IClassFixture<PostgresPrivacyClockApp>;
