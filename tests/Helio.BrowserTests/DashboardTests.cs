using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helio.Protocols.RegisterMaps;
using Helio.Simulator.Inverters;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// The dashboards against a plant fed the way a collector feeds one: a simulated SOFAR inverter's readings, five
/// minutes apart from 34 days ago until now, posted to the ingest API. The plant stands where it is early afternoon
/// now (an Etc/GMT zone and the matching longitude), so today's curve has sunshine in it whenever the tests run.
/// </summary>
public sealed partial class DashboardTests(DashboardTests.FedPlant plant) : BrowserTest, IClassFixture<DashboardTests.FedPlant>
{
    [Fact]
    public async Task PlantPage_ShowsNonEmptyPowerCurve_AndKpisOfTheOverview()
    {
        var page = await SignedInAsync(1280, 900);
        // Timers under the test's control: the 30-second refresh is fast-forwarded below.
        await page.Clock.InstallAsync();
        await page.GotoAsync($"/plants/{plant.PlantId}");

        var points = await ChartPointsAsync(page, "#power-chart");
        Assert.True(points > 12, $"today's curve has {points} points");
        Assert.Equal(1, await page.Locator("#power-chart canvas").CountAsync());

        var overview = await JsonAsync(page, $"/web/plants/{plant.PlantId}/overview");
        Assert.Equal("producing", overview["status"]!.GetValue<string>());
        AssertShows(overview["currentPowerW"]!.GetValue<double>() / 1000, await page.InnerTextAsync("#kpi-power"), "kW");
        AssertShows(overview["energyTodayKwh"]!.GetValue<double>(), await page.InnerTextAsync("#kpi-today"), "kWh");
        AssertShows(overview["energyThisMonthKwh"]!.GetValue<double>(), await page.InnerTextAsync("#kpi-month"), "kWh");
        AssertShows(overview["energyThisYearKwh"]!.GetValue<double>(), await page.InnerTextAsync("#kpi-year"), "kWh");
        AssertShows(overview["energyLifetimeKwh"]!.GetValue<double>(), await page.InnerTextAsync("#kpi-lifetime"), "kWh");
        Assert.True(overview["energyTodayKwh"]!.GetValue<double>() > 0);
        Assert.Equal("Producing", await page.InnerTextAsync("#plant-status"));

        // The curve's points are the JSON curve's, and today's energy is what the inverter's counter says.
        var curve = await JsonAsync(page, $"/web/plants/{plant.PlantId}/power");
        Assert.Equal(curve["points"]!.AsArray().Count, points);
        Assert.Equal(plant.LastEnergyTodayKwh, overview["energyTodayKwh"]!.GetValue<double>(), 0.05);

        // The exports link the same day.
        var csv = await page.GetAttributeAsync("#power-csv", "href");
        Assert.Equal($"/web/plants/{plant.PlantId}/power?date={curve["date"]!.GetValue<string>()}&format=csv", csv);
        var download = await page.APIRequest.GetAsync(csv!);
        Assert.Equal(200, download.Status);

        // Live: 30 s later the page has fetched the overview and today's curve again, without a reload.
        Assert.Equal("true", await page.GetAttributeAsync("#dashboard", "data-live"));
        await page.Clock.RunForAsync(31_000);
        await page.WaitForSelectorAsync("#dashboard[data-refreshed-at]");
        Assert.StartsWith("Updated ", await page.InnerTextAsync("#live-note"), StringComparison.Ordinal);
        Assert.Equal(points, await ChartPointsAsync(page, "#power-chart"));
        AssertShows(overview["energyTodayKwh"]!.GetValue<double>(), await page.InnerTextAsync("#kpi-today"), "kWh");
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task Portfolio_ShowsEveryPlant_WithTotalsOfTheOverviews_SearchAndSort()
    {
        var page = await SignedInAsync(1280, 900);
        await page.GotoAsync("/plants");

        var rows = page.Locator("table.portfolio tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        var power = 0.0;
        var today = 0.0;
        foreach (var id in new[] { plant.PlantId, plant.EmptyPlantId })
        {
            var overview = await JsonAsync(page, $"/web/plants/{id}/overview");
            power += overview["currentPowerW"]!.GetValue<double>();
            today += overview["energyTodayKwh"]!.GetValue<double>();
        }
        AssertShows(power / 1000, await page.InnerTextAsync("[data-total=power]"), "kW");
        AssertShows(today, await page.InnerTextAsync("[data-total=today]"), "kWh");
        Assert.Equal("13.8 kWp", await page.InnerTextAsync("[data-total=capacity]"));
        Assert.Equal("noData", await page.GetAttributeAsync($"tr[data-id='{plant.EmptyPlantId}']", "data-status"));
        Assert.Equal("2", await page.GetAttributeAsync("#plant-map", "data-markers"));

        // Sorting by power puts the producing plant last, then first.
        await page.ClickAsync("#sort-power");
        Assert.Equal(plant.EmptyPlantId.ToString(), await rows.First.GetAttributeAsync("data-id"));
        await page.ClickAsync("#sort-power");
        Assert.Equal(plant.PlantId.ToString(), await rows.First.GetAttributeAsync("data-id"));

        await page.FillAsync("#plant-search", "spare");
        await page.ClickAsync("form[role=search] button");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(plant.EmptyPlantId.ToString(), await rows.First.GetAttributeAsync("data-id"));
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task EnergyBars_NavigateBetweenPeriods_AndMatchTheJson()
    {
        var page = await SignedInAsync(1280, 900);
        await page.GotoAsync($"/plants/{plant.PlantId}");
        Assert.Equal("page", await page.GetAttributeAsync("#period-month", "aria-current"));
        await AssertBarsMatchAsync(page, "month", plant.Today);

        // A month earlier: the feed began 34 days ago, so it has data too.
        await page.ClickAsync("#energy-previous");
        var previousMonth = new DateOnly(plant.Today.Year, plant.Today.Month, 1).AddMonths(-1);
        Assert.Contains($"date={previousMonth:yyyy-MM-dd}", page.Url, StringComparison.Ordinal);
        var total = await AssertBarsMatchAsync(page, "month", previousMonth);
        Assert.True(total > 0, "the month before has energy");
        Assert.Equal(1, await page.Locator("#energy-next").CountAsync());

        await page.ClickAsync("#period-year");
        await AssertBarsMatchAsync(page, "year", previousMonth);
        await page.ClickAsync("#period-lifetime");
        await AssertBarsMatchAsync(page, "lifetime", previousMonth);
        await page.ClickAsync("#period-day");
        Assert.Equal(24, await AssertBarsCountAsync(page));

        // Yesterday's power curve: a whole day of points, and no live refresh.
        await page.GotoAsync($"/plants/{plant.PlantId}");
        await page.ClickAsync("#power-previous");
        Assert.True(await ChartPointsAsync(page, "#power-chart") >= 280);
        Assert.Equal("false", await page.GetAttributeAsync("#dashboard", "data-live"));
        Assert.Empty(CspViolations);
    }

    [Fact]
    public async Task DevicePage_ShowsTheLatestMetrics_FaultHistory_AndAChart()
    {
        var page = await SignedInAsync(1280, 900);
        await page.GotoAsync($"/plants/{plant.PlantId}");
        await page.ClickAsync($"a[href='/devices/{plant.Serial}']");
        await page.WaitForSelectorAsync("#latest");

        var phases = await page.InnerTextAsync("#metrics-phases");
        Assert.Contains("L1", phases, StringComparison.Ordinal);
        Assert.Contains("L3", phases, StringComparison.Ordinal);
        Assert.Contains("PV2", await page.InnerTextAsync("#metrics-strings"), StringComparison.Ordinal);
        Assert.Contains("Heat sink", await page.InnerTextAsync("#metrics-temperatures"), StringComparison.Ordinal);
        var total = plant.Last[Metrics.Name(Metric.EnergyTotalKwh)];
        Assert.Equal(total.ToString("0.##", CultureInfo.InvariantCulture) + " kWh", await page.InnerTextAsync("tr[data-metric=energyTotalKwh] td"));
        Assert.Equal("onGrid", await page.InnerTextAsync("#device-state"));
        Assert.Contains(FeedFault.ToString(CultureInfo.InvariantCulture), await page.InnerTextAsync("#fault-history"), StringComparison.Ordinal);

        Assert.True(await ChartPointsAsync(page, "#metric-chart") > 200);
        await page.SelectOptionAsync("#metric", "radiatorTemperatureC");
        await page.ClickAsync("#show-range");
        Assert.Contains("metric=radiatorTemperatureC", page.Url, StringComparison.Ordinal);
        Assert.True(await ChartPointsAsync(page, "#metric-chart") > 200);
        var export = await page.GetAttributeAsync("#readings-csv", "href");
        Assert.Equal(200, (await page.APIRequest.GetAsync(export!)).Status);
        Assert.Empty(CspViolations);
    }

    /// <summary>
    /// The pages at phone and desktop width: nothing overflows sideways on the phone. With HELIO_SCREENSHOTS=1 the
    /// pictures go to docs/screenshots/ (as kept in the repository); otherwise to the temp directory.
    /// </summary>
    [Fact]
    public async Task Pages_FitAPhone_AndAreScreenshotted()
    {
        var directory = ScreenshotDirectory();
        foreach (var (name, width, height) in Viewports)
        {
            var page = await SignedInAsync(width, height);
            foreach (var (shot, path, ready) in new[]
            {
                ("portfolio", "/plants", "#plant-map[data-markers]"),
                ("plant", $"/plants/{plant.PlantId}", "#energy-chart canvas"),
                ("device", $"/devices/{plant.Serial}", "#metric-chart canvas"),
            })
            {
                await page.GotoAsync(path);
                await page.WaitForSelectorAsync(ready);
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

    private const int FeedFault = 5;

    private Task<IPage> SignedInAsync(int width, int height) => SignedInAsync(plant.Server.BaseAddress, plant.Email, FedPlant.Password, width, height);

    private async Task<int> ChartPointsAsync(IPage page, string chart)
    {
        try
        {
            var element = await page.WaitForSelectorAsync($"{chart}[data-points]", new PageWaitForSelectorOptions { Timeout = 15_000 });
            return int.Parse((await element!.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture);
        }
        catch (TimeoutException e)
        {
            lock (Console)
            {
                throw new TimeoutException($"{chart} was never drawn on {page.Url}; the browser said:\n{string.Join('\n', Console)}", e);
            }
        }
    }

    private async Task<int> AssertBarsCountAsync(IPage page) => await ChartPointsAsync(page, "#energy-chart");

    private async Task<double> AssertBarsMatchAsync(IPage page, string period, DateOnly date)
    {
        Assert.Equal("page", await page.GetAttributeAsync($"#period-{period}", "aria-current"));
        var bars = await JsonAsync(page, $"/web/plants/{(await page.GetAttributeAsync("#dashboard", "data-plant"))}/energy?period={period}&date={date:yyyy-MM-dd}");
        var total = bars["totalKwh"]!.GetValue<double>();
        AssertShows(total, await page.InnerTextAsync("#energy-total"), "kWh");
        Assert.Equal(bars["bars"]!.AsArray().Count, await AssertBarsCountAsync(page));
        return total;
    }

    private static async Task<JsonNode> JsonAsync(IPage page, string path)
    {
        var response = await page.APIRequest.GetAsync(path);
        Assert.Equal(200, response.Status);
        return JsonNode.Parse(await response.TextAsync())!;
    }

    /// <summary>A figure as the page writes it ("4.21 kW", "1.23 MWh") equals <paramref name="expected"/> to its shown precision.</summary>
    private static void AssertShows(double expected, string shown, string baseUnit)
    {
        var match = Figure().Match(shown);
        Assert.True(match.Success, $"'{shown}' is no figure");
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value;
        var scale = unit == baseUnit ? 1 : unit == "W" || unit == "Wh" ? 0.001 : unit.StartsWith('M') && baseUnit.StartsWith('k') ? 1000 : unit.StartsWith('G') ? 1e6 : 1;
        var decimals = match.Groups["value"].Value.Split('.') is [_, var fraction] ? fraction.Length : 0;
        Assert.True(Math.Abs((value * scale) - expected) <= (0.5 * Math.Pow(10, -decimals) * scale) + 1e-9, $"'{shown}' shows {expected} {baseUnit}");
    }

    [GeneratedRegex(@"^(?<value>-?[0-9]+(\.[0-9]+)?) (?<unit>[kMG]?Wh?)$")]
    private static partial Regex Figure();

    /// <summary>A server, an owner, a plant fed with 34 days of a simulated inverter's readings, and an empty second plant.</summary>
    public sealed partial class FedPlant : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();
        public string Email { get; } = $"dashboard.{Guid.NewGuid():N}@example.com";
        public string Serial { get; } = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        public Guid PlantId { get; private set; }
        public Guid EmptyPlantId { get; private set; }
        public DateOnly Today { get; private set; }
        public double LastEnergyTodayKwh { get; private set; }
        public Dictionary<string, double> Last { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            var ct = TestContext.Current.CancellationToken;
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "Dashboard Owner", ct);

            // Where it is about 13:00 now: Etc/GMT-N is UTC+N (POSIX signs), the sun is high at 15° of longitude per hour.
            var now = DateTimeOffset.UtcNow;
            var offset = Math.Clamp((int)Math.Round(13 - now.TimeOfDay.TotalHours), -12, 14);
            var zone = offset == 0 ? "Etc/GMT" : $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}";
            var longitude = Math.Clamp(offset * 15.0, -179, 179);
            PlantId = await CreatePlantAsync(http, "Sunny test roof", 20, longitude, zone, 9.8, ct);
            EmptyPlantId = await CreatePlantAsync(http, "Spare field", 52.5, 13.4, "Europe/Berlin", 4, ct);
            await ServerApi.PostAsync(http, $"/api/v1/plants/{PlantId}/devices", new { serialNumber = Serial, kind = "inverter", model = "SOFAR 10KTLX-G3" }, ct);
            var key = (await ServerApi.PostAsync(http, $"/api/v1/plants/{PlantId}/ingest-keys", new { name = "Dashboard test feed" }, ct))["key"]!.GetValue<string>();

            var timeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
            Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
            await FeedAsync(key, new SimulatedPlant(20, longitude, timeZone, 9.8), now, ct);
            await WaitForRollupsAsync(http, ct);
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        private static async Task<Guid> CreatePlantAsync(HttpClient http, string name, double latitude, double longitude, string zone, double kwp, CancellationToken ct) =>
            Guid.Parse((await ServerApi.PostAsync(http, "/api/v1/plants", new { name, latitude, longitude, timeZone = zone, capacityKwp = kwp, feedInTariff = 0.08, currency = "EUR" }, ct))["id"]!.GetValue<string>());

        /// <summary>Every 5 minutes from local midnight 34 days ago until now, one fault a day ago, in batches of 500.</summary>
        private async Task FeedAsync(string key, SimulatedPlant place, DateTimeOffset now, CancellationToken ct)
        {
            var inverter = new SimulatedInverter(Serial, place, seed: 3, index: 0, initialEnergyTotalKwh: 12_000);
            var localStart = Today.AddDays(-34).ToDateTime(TimeOnly.MinValue);
            var start = new DateTimeOffset(localStart, place.TimeZone.GetUtcOffset(localStart));
            var step = TimeSpan.FromMinutes(5);
            var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % step.Ticks), TimeSpan.Zero); // on the 5-minute grid, as start is
            var faultAt = end.AddDays(-1);
            using var collector = new HttpClient { BaseAddress = Server.BaseAddress };
            collector.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var batch = new List<object>(500);
            for (var t = start; t <= end; t += step)
            {
                if (t == faultAt)
                {
                    inverter.RaiseFault(FeedFault);
                }
                inverter.Advance(t);
                var reading = Read(inverter);
                inverter.ClearFaults();
                Last = reading.All().ToDictionary(v => Metrics.Name(v.Metric), v => v.Value);
                LastEnergyTodayKwh = reading[Metric.EnergyTodayKwh] ?? 0;
                batch.Add(new
                {
                    serialNumber = Serial,
                    timestamp = t.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
                    values = Last,
                    state = JsonNamingPolicy.CamelCase.ConvertName(reading.State.ToString()),
                    faults = reading.Faults.ToArray(),
                });
                if (batch.Count == 500 || t + step > end)
                {
                    var answer = await ServerApi.PostAsync(collector, "/api/v1/ingest/readings", new { readings = batch }, ct);
                    Assert.Equal(batch.Count, answer["accepted"]!.GetValue<int>());
                    batch.Clear();
                }
            }
        }

        /// <summary>The registers a logger would read, decoded by the same SOFAR G3 map the gateway uses.</summary>
        private static InverterReading Read(SimulatedInverter inverter)
        {
            var map = RegisterMap.SofarG3;
            var reading = new InverterReading();
            for (var i = 0; i < map.Plan.Count; i++)
            {
                var block = map.Plan[i];
                var registers = new ushort[block.Count];
                inverter.Bank.Read(block.Start, block.Count, registers);
                var bytes = new byte[block.Count * 2];
                for (var r = 0; r < registers.Length; r++)
                {
                    bytes[2 * r] = (byte)(registers[r] >> 8);
                    bytes[(2 * r) + 1] = (byte)registers[r];
                }
                map.Decode(i, bytes, ref reading);
            }
            map.Complete(ref reading);
            return reading;
        }

        /// <summary>Rollups follow the writes in the background: wait until today's energy has arrived. The deadline
        /// is generous (34 days of readings to roll up): a CI rehearsal on a machine loaded to 15 by other builds
        /// missed a 120 s one, while the same wait takes seconds on a quiet machine.</summary>
        private async Task WaitForRollupsAsync(HttpClient http, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            JsonNode? overview = null;
            while (watch.Elapsed < TimeSpan.FromSeconds(300))
            {
                overview = await http.GetFromJsonAsync<JsonNode>($"/api/v1/plants/{PlantId}/overview", ct);
                if (Math.Abs(overview!["energyTodayKwh"]!.GetValue<double>() - LastEnergyTodayKwh) < 0.05)
                {
                    return;
                }
                await Task.Delay(500, ct);
            }
            throw new TimeoutException($"Today's energy ({LastEnergyTodayKwh} kWh by the counter) never reached the overview: {overview?.ToJsonString()}\n{Server.Output}");
        }


    }
}
