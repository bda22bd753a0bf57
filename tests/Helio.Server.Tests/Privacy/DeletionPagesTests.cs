using System.Net;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// Cancellation and deletion as a browser does them (cookie session from the sign-in form, forms posted with their
/// antiforgery token): the account page's "Apply for cancellation", the request form with the password, the code.
/// </summary>
public abstract class DeletionPagesTests(DeletionApp app)
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
}

public sealed class SqliteDeletionPagesTests(SqliteDeletionApp app) : DeletionPagesTests(app), IClassFixture<SqliteDeletionApp>;

public sealed class PostgresDeletionPagesTests(PostgresDeletionApp app) : DeletionPagesTests(app), IClassFixture<PostgresDeletionApp>;
