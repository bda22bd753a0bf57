using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The notification settings page in a real browser against the real binary: the owner's preferences are saved and
/// kept, a webhook is created (its secret shown once), "Send test" delivers a signed request to a receiver of the
/// test's own, and the delivery shows in the page's log.
/// </summary>
public sealed class NotificationSettingsPageTests(NotificationSettingsPageTests.Owner owner) : BrowserTest, IClassFixture<NotificationSettingsPageTests.Owner>
{
    [Fact]
    public async Task Owner_SavesPreferences_CreatesAWebhook_SendsATest_AndSeesItDelivered()
    {
        var page = await SignedInAsync(owner.Server.BaseAddress, owner.Email, Owner.Password, 1280, 900);
        await page.GotoAsync("/settings/notifications");

        await page.SelectOptionAsync("#min-severity", "Major");
        await page.FillAsync("#quiet-from", "22:00");
        await page.FillAsync("#quiet-until", "06:30");
        await page.FillAsync("#notify-zone", "Europe/Berlin");
        await page.ClickAsync("#notification-settings button[type=submit]");
        await page.WaitForSelectorAsync("#notification-settings-saved");
        await page.GotoAsync("/settings/notifications"); // a GET: reloading would post the form again
        Assert.Equal("22:00", await page.InputValueAsync("#quiet-from"));
        Assert.Equal("Europe/Berlin", await page.InputValueAsync("#notify-zone"));

        using var receiver = new Receiver();
        await page.FillAsync("#webhook-name", "Home Assistant");
        await page.FillAsync("#webhook-url", receiver.Url);
        await page.ClickAsync("#create-webhook");
        var secret = await page.InnerTextAsync("#new-webhook-secret-value");
        Assert.True(secret.Length >= 32, "the secret is shown once, on creation");
        await page.GotoAsync("/settings/notifications"); // a GET: reloading would post the form again
        Assert.Equal(0, await page.Locator("#new-webhook-secret-value").CountAsync());

        await page.ClickAsync(".webhook .test-webhook");
        await page.WaitForSelectorAsync("#webhook-test-queued");
        var (timestamp, signature, body) = await receiver.NextAsync();
        // docs/webhooks.md: v1 = hex HMAC-SHA256 of "{timestamp}.{body}" keyed with the secret's UTF-8 bytes.
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        Assert.Equal(expected, signature);
        Assert.Contains("\"test\"", body, StringComparison.Ordinal);

        await Poll(async () =>
        {
            await page.GotoAsync("/settings/notifications"); // a GET: reloading would post the form again
            return await page.Locator(".webhook tr[data-state=delivered]").CountAsync() == 1;
        });
        Assert.Empty(CspViolations);
    }

    private static async Task Poll(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(250);
        }
        Assert.Fail("The test delivery never showed as delivered in the log.");
    }

    /// <summary>A webhook receiver on a loopback port: answers 200 and hands over each request's signature and body.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener listener = new();

        public Receiver()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            listener.Prefixes.Add(Url);
            listener.Start();
        }

        public string Url { get; }

        public async Task<(string? Timestamp, string? Signature, string Body)> NextAsync()
        {
            var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30));
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var answer = (context.Request.Headers["Helio-Timestamp"], context.Request.Headers["Helio-Signature"], body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            return answer;
        }

        public void Dispose() => listener.Close();
    }

    /// <summary>A server and a confirmed owner.</summary>
    public sealed class Owner : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();

        public string Email { get; } = $"notify.{Guid.NewGuid():N}@example.com";

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "Notified Owner", TestContext.Current.CancellationToken);
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
