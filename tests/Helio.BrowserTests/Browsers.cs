using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download). HELIO_TEST_CHROMIUM names the executable;
/// CI sets it, so there a missing browser fails the tests instead of skipping them.
/// </summary>
public static class Browsers
{
    public const string Variable = "HELIO_TEST_CHROMIUM";

    public static string? ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ChromiumPath();
        Assert.SkipWhen(path is null, $"Browser tests need Chromium: install it (apt-get install chromium) or set {Variable}.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // Without these, Chromium keeps calling home on this offline machine.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }
}
