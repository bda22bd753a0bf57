using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The device page's "Settings and operations" against a real server process and a simulated logger connected to its
/// gateway over TCP: the owner changes the export limit through the form and sees the device confirm it, a value
/// outside the map's range is refused at its field, and a dangerous setting waits for a second person.
/// </summary>
public sealed partial class RemoteOperationPagesTests(RemoteOperationPagesTests.ConnectedInverter site) : BrowserTest, IClassFixture<RemoteOperationPagesTests.ConnectedInverter>
{
    [Fact]
    public async Task Owner_ChangesTheExportLimit_SeesItConfirmed_AndADangerousSettingWaitsForASecondPerson()
    {
        var page = await SignedInAsync(site.Server.BaseAddress, site.Email, ConnectedInverter.Password, 1280, 900);
        await page.GotoAsync($"/devices/{site.InverterSerial}");
        Assert.Equal(4, await page.Locator("#settings-table tbody tr").CountAsync());
        Assert.Equal("not known yet", await page.InnerTextAsync("#settings-table tr[data-setting=exportLimitW] .current-value"));
        Assert.Equal("true", await page.GetAttributeAsync("#named-operations [data-operation=exportLimit]", "data-supported"));
        Assert.Equal("false", await page.GetAttributeAsync("#named-operations [data-operation=timeSync]", "data-supported"));
        Assert.Equal(1, await page.Locator("#no-operations").CountAsync());

        // Between two 100 W steps: the field says why, and nothing is asked of the device.
        await page.SelectOptionAsync("#operation-setting", "exportLimitW");
        await page.FillAsync("#operation-value", "5050");
        await page.ClickAsync("#request-operation");
        await page.WaitForSelectorAsync("#operation-value-error");
        Assert.Contains("multiple of 100 W", await page.InnerTextAsync("#operation-value-error"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#no-operations").CountAsync());

        // A valid limit goes to the inverter through the logger and comes back confirmed by the device.
        await page.SelectOptionAsync("#operation-setting", "exportLimitW");
        await page.FillAsync("#operation-value", "5000");
        await page.ClickAsync("#request-operation");
        await page.WaitForSelectorAsync("#operation-list tbody tr");
        var row = page.Locator("#operation-list tbody tr").First;
        await ReloadUntilAsync(page, async () => await row.GetAttributeAsync("data-state") is "confirmed" or "failed");
        Assert.Equal("confirmed", await row.GetAttributeAsync("data-state"));
        Assert.Contains("device reads 5000 W", await row.Locator(".outcome").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(site.Email, await row.Locator(".requested-by").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(50, site.Inverter.Bank[0x1024]);
        Assert.Equal("5000 W", (await page.InnerTextAsync("#settings-table tr[data-setting=exportLimitW] .current-value")).Split('\n')[0].Trim());

        // A dangerous setting: its requester sees it wait, with nothing to approve.
        await page.SelectOptionAsync("#operation-setting", "batteryDepthOfDischargePercent");
        await page.FillAsync("#operation-value", "40");
        await page.ClickAsync("#request-operation");
        await page.WaitForSelectorAsync("#operation-list tbody tr[data-state=awaiting-approval]");
        Assert.Contains("second person", await page.InnerTextAsync("#operation-list tbody tr[data-state=awaiting-approval] .waiting-for-approval"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".approve-operation").CountAsync());
        Assert.Equal(20, site.Inverter.Bank[0x104D]);
        Assert.Empty(CspViolations);
    }

    /// <summary>The section at phone and desktop width (HELIO_SCREENSHOTS=1 keeps them in docs/screenshots/).</summary>
    [Fact]
    public async Task TheSection_FitsAPhone_AndIsScreenshotted()
    {
        var directory = ScreenshotDirectory();
        foreach (var (name, width, height) in Viewports)
        {
            var page = await SignedInAsync(site.Server.BaseAddress, site.Email, ConnectedInverter.Password, width, height);
            await page.GotoAsync($"/devices/{site.InverterSerial}#operations");
            if (width == 390)
            {
                var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
                Assert.True(scrollWidth <= 390, $"the device page is {scrollWidth}px wide on a phone");
            }
            await page.Locator("#operations").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(directory, $"device-operations-{name}.png") });
        }
        Assert.Empty(CspViolations);
    }

    /// <summary>The device is written to in the background: reload the page until it shows the outcome.</summary>
    private static async Task ReloadUntilAsync(IPage page, Func<Task<bool>> done)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the operation was not settled in time");
            await Task.Delay(300);
            await page.ReloadAsync();
        }
    }

    /// <summary>A server, an owner, a plant with a registered logger, and that logger (simulated) connected to the server's gateway.</summary>
    public sealed partial class ConnectedInverter : IAsyncLifetime
    {
        public const string Password = "a very private password";

        private readonly CancellationTokenSource stop = new();
        private Task running = Task.CompletedTask;

        public HelioServer Server { get; } = new();
        public string Email { get; } = $"operator.{Guid.NewGuid():N}@example.com";
        public uint LoggerSerial { get; } = (uint)Random.Shared.Next(1_000_000_000, 2_000_000_000);
        public string InverterSerial { get; } = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        public SimulatedInverter Inverter { get; private set; } = default!;

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            var ct = TestContext.Current.CancellationToken;
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "Operating Owner", ct);
            var plantId = (await ServerApi.PostAsync(http, "/api/v1/plants", new { name = "Operated roof", latitude = 48.1, longitude = 11.6, timeZone = "Europe/Berlin", capacityKwp = 10 }, ct))["id"]!.GetValue<string>();
            await ServerApi.PostAsync(http, $"/api/v1/plants/{plantId}/devices", new { serialNumber = LoggerSerial.ToString(CultureInfo.InvariantCulture), kind = "logger" }, ct);

            Inverter = new SimulatedInverter(InverterSerial, new SimulatedPlant(48.1, 11.6, TimeZoneInfo.Utc, 10), seed: 1, index: 0);
            var logger = new SimulatedLogger(LoggerSerial, Inverter, TimeProvider.System);
            running = logger.KeepConnectedAsync("127.0.0.1", await GatewayPortAsync(), TimeSpan.FromSeconds(1), null, null, stop.Token);

            // Ready when the inverter has joined the plant and a reading has come through the logger.
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
                var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
                var readings = await http.GetAsync($"/api/v1/devices/{InverterSerial}/readings?limit=1&from={from}&to={to}", ct);
                if (readings.IsSuccessStatusCode && (await readings.Content.ReadFromJsonAsync<JsonNode>(ct))!["readings"]!.AsArray().Count > 0)
                {
                    return;
                }
                if (watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("The simulated inverter never reported through the gateway:\n" + Server.Output);
                }
                await Task.Delay(250, ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running;
            stop.Dispose();
            await Server.DisposeAsync();
        }

        /// <summary>The server listens for loggers on a port of its choosing (Gateway:Port=0) and says which in its log.</summary>
        private async Task<int> GatewayPortAsync()
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var match = GatewayListening().Match(Server.Output);
                if (match.Success)
                {
                    return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                }
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("The server did not say where its gateway listens:\n" + Server.Output);
                }
                await Task.Delay(100);
            }
        }

        [GeneratedRegex(@"Gateway listening for loggers on \S*:(\d+)")]
        private static partial Regex GatewayListening();
    }
}
