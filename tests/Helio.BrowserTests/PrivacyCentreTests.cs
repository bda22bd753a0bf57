using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The privacy centre in Chromium against the real server: an owner reads the policy, toggles a consent, reads "My
/// data", asks for a copy with the password and the mailed code and downloads the ZIP; another applies for
/// cancellation and withdraws it by signing in again; a privacy officer (role given by the operator's command) answers
/// a complaint from the console.
/// </summary>
public sealed partial class PrivacyCentreTests(PrivacyCentreTests.Account account) : BrowserTest, IClassFixture<PrivacyCentreTests.Account>
{
    [Fact]
    public async Task Owner_ReadsThePolicy_TogglesAConsent_SeesTheirData_AndDownloadsACopy()
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
        await page.FillAsync("#code", await CodeAsync(account.Email));
        await page.ClickAsync("#verify-submit");
        // Verified, and from there on Helio's: the page follows the background export by itself until the file is ready.
        await page.WaitForSelectorAsync("#state:not([data-state='received'])");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory(), "privacy-request-phone.png"), FullPage = true });
        await page.WaitForSelectorAsync("#download-form", new PageWaitForSelectorOptions { Timeout = 60_000 });

        // The download asks for the password again.
        await page.FillAsync("#download-password", "not my password");
        await page.ClickAsync("#download-submit");
        await page.WaitForSelectorAsync("#download-error");
        await page.FillAsync("#download-password", Account.Password);
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-submit"));
        var file = Path.Combine(Path.GetTempPath(), $"helio-export-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(file);
        using (var zip = ZipFile.OpenRead(file))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "index.html");
            using var json = new StreamReader(zip.GetEntry("my-data.json")!.Open());
            var text = await json.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.Contains(account.Email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("PasswordHash", text, StringComparison.OrdinalIgnoreCase);
        }
        File.Delete(file);
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task Owner_AppliesForCancellation_IsSignedOut_AndSigningInAgainWithdrawsIt()
    {
        var page = await SignedInAsync(account.Server.BaseAddress, account.CancellerEmail, Account.Password, 1280, 900);

        await page.GotoAsync("/account/security");
        await page.ClickAsync("#apply-for-cancellation");
        await page.FillAsync("#password", Account.Password);
        await page.ClickAsync("#submit-request");
        await page.WaitForSelectorAsync("#verify-section");
        var requestPage = new Uri(page.Url).AbsolutePath;
        await page.FillAsync("#code", await CodeAsync(account.CancellerEmail));
        await page.ClickAsync("#verify-submit");

        await page.WaitForURLAsync(url => url.EndsWith("/account/cancelled", StringComparison.Ordinal));
        Assert.Contains("erased 14 days after the cancellation", await page.InnerTextAsync("#cancelled"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory(), "privacy-cancelled.png"), FullPage = true });
        // Signed out: the account's pages send the browser to sign in.
        await page.GotoAsync("/account/security");
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);

        var back = await SignedInAsync(account.Server.BaseAddress, account.CancellerEmail, Account.Password, 1280, 900);
        await account.Server.WaitForMailAsync(account.CancellerEmail, "Your account cancellation is withdrawn");
        await back.GotoAsync(requestPage);
        Assert.Contains("withdrawn", await back.InnerTextAsync("#answer"), StringComparison.Ordinal);
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task PrivacyOfficer_AnswersAComplaint_FromTheConsole()
    {
        var ct = TestContext.Current.CancellationToken;
        using var owner = new HttpClient { BaseAddress = account.Server.BaseAddress };
        var token = await ServerApi.PostAsync(owner, "/api/v1/auth/token", new { login = account.Email, password = Account.Password }, ct);
        owner.DefaultRequestHeaders.Authorization = new("Bearer", token["accessToken"]!.GetValue<string>());
        var complaint = (await ServerApi.PostAsync(owner, "/api/v1/me/complaints",
            new { subject = "Marketing mail", text = "I withdrew my consent to marketing mail and still got one." }, ct))["id"]!.GetValue<string>();

        var page = await SignedInAsync(account.Server.BaseAddress, account.OfficerEmail, Account.Password, 1280, 900);
        await page.GotoAsync("/privacy/requests");
        var row = page.Locator($"#requests tr[data-id='{complaint}']");
        Assert.Equal("verified", await row.GetAttributeAsync("data-state"));
        await row.Locator("a").ClickAsync();
        await page.WaitForSelectorAsync("#actions");
        Assert.Contains("still got one", await page.InnerTextAsync("#request-details"), StringComparison.Ordinal);
        await page.FillAsync("#outcome", "You were right: a campaign ignored withdrawals for one day. We fixed it and removed you from the list.");
        await page.ClickAsync("#complete-submit");

        await page.WaitForSelectorAsync("#summary[data-state='completed']");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory(), "privacy-console-request.png"), FullPage = true });
        var answer = await account.Server.WaitForMailAsync(account.Email, "Your complaint is answered");
        Assert.Contains("campaign ignored withdrawals", answer.TextBody, StringComparison.Ordinal);
        Assert.Empty(CspViolations);
    }

    /// <summary>The code of the latest verification mail to <paramref name="email"/> (each test's person makes one request).</summary>
    private async Task<string> CodeAsync(string email) =>
        Code().Match((await account.Server.WaitForMailAsync(email, "Your Helio verification code")).TextBody!).Value;

    [GeneratedRegex(@"(?<=\s)\d{8}(?=\s)")]
    private static partial Regex Code();

    /// <summary>A server with three registered, confirmed people: an owner, one who will cancel, and a privacy officer.</summary>
    public sealed class Account : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();
        public string Email { get; } = $"privacy.{Guid.NewGuid():N}@example.com";
        public string CancellerEmail { get; } = $"leaving.{Guid.NewGuid():N}@example.com";
        public string OfficerEmail { get; } = $"dpo.{Guid.NewGuid():N}@example.com";

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            var ct = TestContext.Current.CancellationToken;
            foreach (var (email, name) in new[] { (Email, "Petra Private"), (CancellerEmail, "Leo Leaving"), (OfficerEmail, "Dora Officer") })
            {
                using var http = new HttpClient { BaseAddress = Server.BaseAddress };
                await ServerApi.RegisterOwnerAsync(Server, http, email, Password, name, ct);
            }
            await Server.RunCommandAsync("users", "add-role", OfficerEmail, "dpo");
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
