using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The owner's "Who accessed my data" page and the admin's audit page, in Chromium against the real server. Someone
/// tries the owner's password and fails: that is someone else acting on the owner's account, so the owner sees it,
/// and not their own sign-ins. The admin (role given by the <c>users add-role</c> command, as an operator does)
/// filters the trail and verifies it with the button.
/// </summary>
public sealed class AuditPagesTests(AuditPagesTests.Accounts accounts) : BrowserTest, IClassFixture<AuditPagesTests.Accounts>
{
    [Fact]
    public async Task Owner_SeesSomeoneElsesFailedSignIn_ButNotTheirOwnSignIns()
    {
        var page = await SignedInAsync(accounts.Server.BaseAddress, accounts.OwnerEmail, Accounts.Password, 1280, 900);

        await page.GotoAsync("/account/security");
        await page.ClickAsync("#access-log-link");
        await page.WaitForSelectorAsync("#access-log");

        var rows = page.Locator("#access-log tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("account.sign-in-failed", await rows.First.GetAttributeAsync("data-action"));
        Assert.Equal("anonymous", await rows.First.GetAttributeAsync("data-who"));
        Assert.Equal("someone not signed in", await rows.First.Locator(".who").InnerTextAsync());
        Assert.Equal("failed to sign in", await rows.First.Locator(".what").InnerTextAsync());
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task Admin_FiltersTheTrail_AndVerifiesIt()
    {
        var page = await SignedInAsync(accounts.Server.BaseAddress, accounts.AdminEmail, Accounts.Password, 1280, 900);

        await page.GotoAsync("/admin/audit");
        await page.WaitForSelectorAsync("#audit-entries");
        await page.SelectOptionAsync("#action", "account.signed-in");
        await page.ClickAsync("#filter-audit");
        await page.WaitForSelectorAsync("#audit-entries");
        Assert.Contains("action=account.signed-in", page.Url, StringComparison.Ordinal);
        var actions = await page.Locator("#audit-entries tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        Assert.True(actions.Length >= 2, $"{actions.Length} sign-ins listed");
        Assert.All(actions, a => Assert.Equal("account.signed-in", a));
        // No personal data: neither address appears anywhere on the page.
        var text = await page.InnerTextAsync("main");
        Assert.DoesNotContain(accounts.OwnerEmail, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(accounts.AdminEmail, text, StringComparison.OrdinalIgnoreCase);

        await page.ClickAsync("#verify");
        await page.WaitForSelectorAsync("#verify-result");
        Assert.Equal("true", await page.GetAttributeAsync("#verify-result", "data-intact"));
        Assert.Matches("^[0-9]+:[0-9a-f]{64}$", await page.InnerTextAsync("#verify-head"));
        Assert.Empty(CspViolations);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "helio-admin-audit.png"), FullPage = true });
    }

    /// <summary>A server with an owner (whose password someone else got wrong once) and a platform admin.</summary>
    public sealed class Accounts : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();
        public string OwnerEmail { get; } = $"owner.{Guid.NewGuid():N}@example.com";
        public string AdminEmail { get; } = $"admin.{Guid.NewGuid():N}@example.com";

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            var ct = TestContext.Current.CancellationToken;
            using var owner = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, owner, OwnerEmail, Password, "Olive Owner", ct);
            using var admin = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, admin, AdminEmail, Password, "Adam Admin", ct);
            using var someone = new HttpClient { BaseAddress = Server.BaseAddress };
            var failed = await someone.PostAsJsonAsync("/api/v1/auth/token", new { login = OwnerEmail, password = "a guess" }, ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, failed.StatusCode);

            // The operator's command, on the running server's data directory.
            await Server.RunCommandAsync("users", "add-role", AdminEmail, "admin");
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
