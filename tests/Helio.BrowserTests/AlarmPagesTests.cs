using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The alarm pages against alarms raised the real way: the server runs as its own process, so the test cannot reach
/// its services; a collector posts an inverter reading with two fault IDs to the ingest API, and the server's fault
/// evaluation raises an alarm for each (grid overvoltage: major; a permanent AC overcurrent: critical).
/// </summary>
public sealed partial class AlarmPagesTests(AlarmPagesTests.FaultedPlant plant) : BrowserTest, IClassFixture<AlarmPagesTests.FaultedPlant>
{
    [Fact]
    public async Task Owner_SeesCounts_FiltersTheList_ReadsTheExplanation_Acknowledges_AndAsksForAReview()
    {
        var page = await SignedInAsync(1280, 900);

        // The portfolio: two open alarms, coloured by the worst active one, which is written out too.
        await page.GotoAsync("/plants");
        var count = page.Locator($"tr[data-id='{plant.PlantId}'] .alarm-count");
        Assert.Equal("2", await count.GetAttributeAsync("data-open"));
        Assert.Contains("severity-critical", await count.GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Contains("Critical", await count.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("0", await page.GetAttributeAsync($"tr[data-id='{plant.QuietPlantId}'] .alarm-none", "data-open"));

        // The plant page: the badge and the latest active alarms.
        await page.GotoAsync($"/plants/{plant.PlantId}");
        Assert.StartsWith("2 open alarms", await page.InnerTextAsync("#open-alarms"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("#active-alarms li").CountAsync());
        Assert.Equal(1, await page.Locator("#alarm-settings").CountAsync());

        // The list, newest first, then only the critical ones.
        await page.ClickAsync("#open-alarms");
        await page.WaitForSelectorAsync("#alarm-list");
        Assert.Equal(2, await page.Locator("#alarm-list tbody tr").CountAsync());
        Assert.Contains(plant.TimeZone, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#severity", "critical");
        await page.ClickAsync("#filter-alarms");
        Assert.Contains("severity=critical", page.Url, StringComparison.Ordinal);
        var rows = page.Locator("#alarm-list tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("critical", await rows.First.GetAttributeAsync("data-severity"));
        Assert.Equal("Critical", await rows.First.Locator(".severity").InnerTextAsync());
        await page.SelectOptionAsync("#severity", "info");
        await page.ClickAsync("#filter-alarms");
        Assert.Contains("No open alarms of severity info", await page.InnerTextAsync("#no-alarms"), StringComparison.Ordinal);

        // The alarm: explanation, suggested action, history by Helio.
        await page.GotoAsync($"/plants/{plant.PlantId}/alarms?severity=critical");
        await page.ClickAsync("#alarm-list .alarm-link");
        await page.WaitForSelectorAsync("#explanation");
        Assert.Equal("AC hardware overcurrent (permanent)", await page.InnerTextAsync("h1"));
        Assert.Equal("Raised", await page.InnerTextAsync("#alarm-state"));
        Assert.Contains("ID129", await page.InnerTextAsync("#explanation-summary"), StringComparison.Ordinal);
        Assert.Contains("ID01, ID129", await page.InnerTextAsync("#explanation-measured"), StringComparison.Ordinal);
        Assert.Contains("bit 128", await page.InnerTextAsync("#explanation-thresholds"), StringComparison.Ordinal);
        Assert.Contains("call your installer", await page.InnerTextAsync("#alarm-action"), StringComparison.Ordinal);
        Assert.Equal($"/devices/{plant.Serial}", await page.GetAttributeAsync("#alarm-facts a.device-link", "href"));
        Assert.Contains("Helio", await page.InnerTextAsync("#alarm-history tbody tr"), StringComparison.Ordinal);
        // Active: Close is there, disabled, and says why.
        Assert.True(await page.IsDisabledAsync("#close"));
        Assert.Contains("once its condition has cleared", await page.InnerTextAsync("#close-why"), StringComparison.Ordinal);

        // Acknowledge: the state changes and the history says a person did it.
        await page.ClickAsync("#acknowledge");
        await page.WaitForSelectorAsync("#alarm-acknowledged");
        Assert.Equal("Acknowledged", await page.InnerTextAsync("#alarm-state"));
        Assert.Equal(0, await page.Locator("#acknowledge").CountAsync());
        Assert.Contains("a person", await page.InnerTextAsync("#alarm-history tr[data-kind=Acknowledged]"), StringComparison.Ordinal);

        // A review: the reason is required (the browser says so), then the request shows as open.
        await page.ClickAsync("#request-review");
        Assert.Equal(0, await page.Locator("#review-list").CountAsync());
        await page.FillAsync("#review-reason", "The inverter was switched off for maintenance at that time.");
        await page.ClickAsync("#request-review");
        await page.WaitForSelectorAsync("#review-list");
        Assert.Equal("Open", await page.InnerTextAsync("#review-list tbody tr .review-state"));
        Assert.Contains("Human review requested", await page.InnerTextAsync("#alarm-history"), StringComparison.Ordinal);

        // The device page names the faults and lists its active alarms.
        await page.GotoAsync($"/devices/{plant.Serial}");
        Assert.Contains("ID129 AC hardware overcurrent (permanent)", await page.InnerTextAsync("#fault-history"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("#device-alarm-list li").CountAsync());
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task AlarmSettings_SaveThresholds_AndCreateToggleDeleteARule()
    {
        var page = await SignedInAsync(1280, 900);
        await page.GotoAsync($"/plants/{plant.QuietPlantId}");
        await page.ClickAsync("#alarm-settings");
        await page.WaitForSelectorAsync("#thresholds");
        Assert.Equal(1, await page.Locator("#thresholds-defaults").CountAsync());

        await page.FillAsync("#underperformance", "55");
        await page.FillAsync("#offline-after", "45");
        await page.ClickAsync("#save-thresholds");
        await page.WaitForSelectorAsync("#thresholds");
        Assert.Equal(0, await page.Locator("#thresholds-defaults").CountAsync());
        Assert.Equal("55", await page.InputValueAsync("#underperformance"));
        Assert.Equal("45", await page.InputValueAsync("#offline-after"));

        await page.FillAsync("#rule-name", "Running hot");
        await page.SelectOptionAsync("#rule-metric", "radiatorTemperatureC");
        await page.SelectOptionAsync("#rule-comparison", ">");
        await page.FillAsync("#rule-threshold", "70");
        await page.SelectOptionAsync("#rule-severity", "major");
        await page.ClickAsync("#create-rule");
        var rule = page.Locator("#rule-list tbody tr");
        await rule.First.WaitForAsync();
        Assert.Equal(1, await rule.CountAsync());
        Assert.Contains("radiatorTemperatureC", await rule.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await rule.GetAttributeAsync("data-enabled"));

        await rule.Locator(".toggle-rule").ClickAsync();
        await page.WaitForSelectorAsync("#rule-list tbody tr[data-enabled=false]");
        await page.Locator("#rule-list .delete-rule").ClickAsync();
        await page.WaitForSelectorAsync("#no-rules");

        // A threshold out of range: the field says why and nothing is saved.
        await page.FillAsync("#offline-after", "0");
        await page.EvaluateAsync("document.querySelector('#offline-after').removeAttribute('min')");
        await page.ClickAsync("#save-thresholds");
        await page.WaitForSelectorAsync("#offline-after-error");
        Assert.Empty(CspViolations);
    }

    /// <summary>The alarm list and an alarm at phone and desktop width, like the dashboards' (HELIO_SCREENSHOTS=1 keeps them in docs/screenshots/).</summary>
    [Fact]
    public async Task AlarmPages_FitAPhone_AndAreScreenshotted()
    {
        var directory = ScreenshotDirectory();
        foreach (var (name, width, height) in Viewports)
        {
            var page = await SignedInAsync(width, height);
            await page.GotoAsync($"/plants/{plant.PlantId}/alarms?state=all");
            var alarm = await page.GetAttributeAsync("#alarm-list tbody tr:last-child .alarm-link", "href");
            foreach (var (shot, path) in new[] { ("alarms", $"/plants/{plant.PlantId}/alarms?state=all"), ("alarm", alarm!) })
            {
                await page.GotoAsync(path);
                if (width == 390)
                {
                    var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
                    Assert.True(scrollWidth <= 390, $"{shot} is {scrollWidth}px wide on a phone");
                }
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{shot}-{name}.png"), FullPage = true });
            }
        }
        Assert.Empty(CspViolations);
    }

    private Task<IPage> SignedInAsync(int width, int height) => SignedInAsync(plant.Server.BaseAddress, plant.Email, FaultedPlant.Password, width, height);

    /// <summary>A server, an owner, a plant whose inverter reported two faults through the ingest API, and a quiet plant.</summary>
    public sealed partial class FaultedPlant : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();
        public string Email { get; } = $"alarms.{Guid.NewGuid():N}@example.com";
        public string Serial { get; } = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        public string TimeZone { get; } = "Europe/Berlin";
        public Guid PlantId { get; private set; }
        public Guid QuietPlantId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            var ct = TestContext.Current.CancellationToken;
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "Alarm Owner", ct);

            PlantId = await CreatePlantAsync(http, "Faulty roof", ct);
            QuietPlantId = await CreatePlantAsync(http, "Quiet barn", ct);
            await ServerApi.PostAsync(http, $"/api/v1/plants/{PlantId}/devices", new { serialNumber = Serial, kind = "inverter", model = "SOFAR 10KTLX-G3" }, ct);
            var key = (await ServerApi.PostAsync(http, $"/api/v1/plants/{PlantId}/ingest-keys", new { name = "Alarm test feed" }, ct))["key"]!.GetValue<string>();

            using var collector = new HttpClient { BaseAddress = Server.BaseAddress };
            collector.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            await ServerApi.PostAsync(collector, "/api/v1/ingest/readings", new
            {
                readings = new[] { new { serialNumber = Serial, timestamp = at, values = new Dictionary<string, double> { ["activePowerW"] = 0 }, state = "fault", faults = new[] { 1, 129 } } },
            }, ct);
            await WaitForAlarmsAsync(http, 2, ct);
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        private async Task<Guid> CreatePlantAsync(HttpClient http, string name, CancellationToken ct) =>
            Guid.Parse((await ServerApi.PostAsync(http, "/api/v1/plants", new { name, latitude = 52.5, longitude = 13.4, timeZone = TimeZone, capacityKwp = 9.8 }, ct))["id"]!.GetValue<string>());

        /// <summary>Alarms are raised in the background after the reading commits.</summary>
        private async Task WaitForAlarmsAsync(HttpClient http, int expected, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            JsonNode? page = null;
            while (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                page = await http.GetFromJsonAsync<JsonNode>($"/api/v1/plants/{PlantId}/alarms?state=active", ct);
                if (page!["alarms"]!.AsArray().Count >= expected)
                {
                    return;
                }
                await Task.Delay(200, ct);
            }
            throw new TimeoutException($"The fault alarms were never raised: {page?.ToJsonString()}\n{Server.Output}");
        }


    }
}
