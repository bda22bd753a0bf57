using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// What every page test needs: Chromium for the class, and signed-in pages that record the browser console and any
/// Content Security Policy violation (a test ends by asserting there were none).
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright? playwright;

    protected IBrowser? Browser { get; private set; }

    protected List<string> CspViolations { get; } = [];

    protected List<string> Console { get; } = [];

    public async ValueTask InitializeAsync() => (playwright, Browser) = await Browsers.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The sizes pages must fit and are photographed at.</summary>
    protected static readonly (string Name, int Width, int Height)[] Viewports = [("phone", 390, 844), ("desktop", 1280, 900)];

    /// <summary>Where screenshots go: docs/screenshots/ with HELIO_SCREENSHOTS=1 (the pictures kept in the
    /// repository), otherwise a temporary directory.</summary>
    protected static string ScreenshotDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("HELIO_SCREENSHOTS") == "1"
            ? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/screenshots"))
            : Directory.CreateTempSubdirectory("helio-screenshots-").FullName;
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A page of a fresh context, in a time zone that is not the plant's (times must follow the plant's
    /// zone anyway), signed in through the sign-in form.</summary>
    protected async Task<IPage> SignedInAsync(Uri server, string email, string password, int width, int height)
    {
        Assert.SkipWhen(Browser is null, "Chromium is not installed.");
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = server.ToString(),
            TimezoneId = "America/New_York",
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            lock (Console)
            {
                Console.Add($"{message.Type}: {message.Text}");
            }
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (CspViolations)
                {
                    CspViolations.Add(message.Text);
                }
            }
        };
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#login", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => url.Contains("/plants", StringComparison.Ordinal));
        return page;
    }
}
