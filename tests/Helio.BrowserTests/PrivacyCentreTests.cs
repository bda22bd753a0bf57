using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The privacy centre as an owner uses it, in Chromium against the real server: the public policy, a consent given and
/// withdrawn with one button each, "My data", and a request for a copy made with the password and confirmed with the
/// mailed code.
/// </summary>
public sealed partial class PrivacyCentreTests(PrivacyCentreTests.Account account) : BrowserTest, IClassFixture<PrivacyCentreTests.Account>
{
    [Fact]
    public async Task Owner_ReadsThePolicy_TogglesAConsent_SeesTheirData_AndAsksForACopy()
    {
        var page = await SignedInAsync(account.Server.BaseAddress, account.Email, Account.Password, 390, 844);

        await page.GotoAsync("/privacy");
        Assert.Equal("1.0", await page.GetAttributeAsync("#policy", "data-version"));

        // Withdrawing is as easy as giving: one button each, and the history records both.
        await page.GotoAsync("/account/privacy");
        await page.ClickAsync("#give-marketing");
        await page.WaitForSelectorAsync("#consents tr[data-purpose='marketing'][data-given='true']");
        await page.ClickAsync("#withdraw-marketing");
        await page.WaitForSelectorAsync("#consents tr[data-purpose='marketing'][data-given='false']");
        Assert.True(await page.Locator("#consent-history tbody tr").CountAsync() >= 3, "the service consent, given and withdrawn");

        await page.GotoAsync("/account/my-data");
        await page.WaitForSelectorAsync("#section-account");
        Assert.Contains(account.Email, await page.InnerTextAsync("#section-account"), StringComparison.OrdinalIgnoreCase);

        await page.GotoAsync("/account/requests/new/export");
        await page.FillAsync("#password", Account.Password);
        await page.ClickAsync("#submit-request");
        await page.WaitForSelectorAsync("#verify-section");
        var mail = await account.Server.WaitForMailAsync(account.Email, "Your Helio verification code");
        await page.FillAsync("#code", Code().Match(mail.TextBody!).Value);
        await page.ClickAsync("#verify-submit");
        // Verified, and from there on Helio's: it may already be at work on it.
        await page.WaitForSelectorAsync("#state:not([data-state='received'])");
        Assert.Empty(CspViolations);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory(), "privacy-request-phone.png"), FullPage = true });
    }

    [GeneratedRegex(@"(?<=\s)\d{8}(?=\s)")]
    private static partial Regex Code();

    /// <summary>A server with one registered, confirmed owner.</summary>
    public sealed class Account : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();
        public string Email { get; } = $"privacy.{Guid.NewGuid():N}@example.com";

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "Petra Private", TestContext.Current.CancellationToken);
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
