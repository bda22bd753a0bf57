using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>What a new owner does on a phone: register, confirm from the mail, sign in, add a plant and its devices.</summary>
public sealed partial class OwnerJourneyTests(HelioServer server) : IClassFixture<HelioServer>, IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async ValueTask InitializeAsync() => (playwright, browser) = await Browsers.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
    }

    private async Task<IPage> PhoneAsync()
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, BaseURL = server.BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task Register_Confirm_SignIn_CreatePlant_AddDevices()
    {
        var page = await PhoneAsync();
        var email = $"browser.{Guid.NewGuid():N}@example.com";
        const string password = "a very private password";

        await page.GotoAsync("/account/register");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.FillAsync("#name", "Browser Owner");
        await page.SelectOptionAsync("#country", "DE");
        await page.FillAsync("#date-of-birth", "1980-04-01");
        await page.CheckAsync("#accept-policy");
        await page.ClickAsync("#register");
        await page.WaitForSelectorAsync("#registered");

        var mail = await server.WaitForMailAsync(email, "Confirm your Helio account");
        var link = Link().Match(mail.TextBody!).Value;
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.ClickAsync("#confirm");
        await page.WaitForSelectorAsync("#confirmed");

        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#login", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => url.Contains("/plants", StringComparison.Ordinal));

        await page.GotoAsync("/plants/new");
        await page.FillAsync("#plant-name", "Phone roof");
        await page.FillAsync("#latitude", "48.137");
        await page.FillAsync("#longitude", "11.575");
        await page.FillAsync("#time-zone", "Europe/Berlin");
        await page.FillAsync("#capacity", "9.8");
        await page.ClickAsync("#save-plant");
        await page.WaitForSelectorAsync("h1:has-text('Phone roof')");

        var inverter = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        await page.FillAsync("#serial-number", inverter);
        await page.SelectOptionAsync("#kind", "inverter");
        await page.FillAsync("#model", "SOFAR 10KTLX-G3");
        await page.ClickAsync("#add-device");
        await page.WaitForSelectorAsync($"tr[data-serial='{inverter}']");

        var logger = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        await page.FillAsync("#serial-number", logger);
        await page.SelectOptionAsync("#kind", "logger");
        await page.ClickAsync("#add-device");
        await page.WaitForSelectorAsync($"tr[data-serial='{logger}']");

        // An ingest key for a collector: shown once, works, then revoked.
        await page.FillAsync("#ingest-key-name", "Garage collector");
        await page.ClickAsync("#create-ingest-key");
        var key = await (await page.WaitForSelectorAsync("#new-ingest-key-value"))!.InnerTextAsync();
        Assert.StartsWith("hik_", key, StringComparison.Ordinal);
        using (var collector = new HttpClient { BaseAddress = server.BaseAddress })
        {
            collector.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            var reading = new { serialNumber = inverter, timestamp = DateTimeOffset.UtcNow.ToString("O"), values = new { activePowerW = 4200 } };
            var sent = await collector.PostAsync("/api/v1/ingest/readings", System.Net.Http.Json.JsonContent.Create(new { readings = new[] { reading } }), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, sent.StatusCode);
        }
        await page.GotoAsync(page.Url); // a fresh GET, not the form's answer
        Assert.Equal(0, await page.Locator("#new-ingest-key-value").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync("button.revoke-key");
        await page.WaitForSelectorAsync("table.ingest-keys td:has-text('revoked')");

        // Nothing overflows sideways on a 390-pixel phone.
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"page is {scrollWidth}px wide");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "helio-plant-page.png"), FullPage = true });
    }

    [Fact]
    public async Task WrongPassword_ShowsGenericError_AndProtectedPagesRedirectToSignIn()
    {
        var page = await PhoneAsync();

        await page.GotoAsync("/plants");
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#login", "nobody@example.com");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");
        var error = await page.WaitForSelectorAsync(".errors");
        Assert.Contains("Invalid login or password", await error!.InnerTextAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https?://\S+/account/confirm-email\?\S+")]
    private static partial Regex Link();
}
