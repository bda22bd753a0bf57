using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Telemetry;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Telemetry;

/// <summary>The query API over HTTP: overview, power curve, energy bars, raw readings, and their downloads.</summary>
public abstract class TelemetryApiTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>A plant (Berlin, 9.9 kWp, 0.08 EUR/kWh) with yesterday's sunny day and today's so far, rolled up.</summary>
    private async Task<(Owner Owner, Guid Plant, string Serial, DateOnly Yesterday, double YesterdayKwh, double TodayKwh)> FedPlantAsync()
    {
        var owner = await app.RegisterOwnerAsync();
        var created = await owner.Client.PostAsJsonAsync("/api/v1/plants",
            new { name = "Roof", latitude = 52.5, longitude = 13.4, timeZone = "Europe/Berlin", capacityKwp = 9.9, feedInTariff = 0.08, currency = "EUR" }, Ct);
        var plant = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct)).StatusCode);
        var now = DateTimeOffset.UtcNow;
        var today = LocalPeriods.LocalDate(now.ToUnixTimeMilliseconds(), Berlin);
        var yesterday = today.AddDays(-1);
        await StoredReadings.StoreAsync(app, SunnyDay.Readings(serial, yesterday, Berlin, out var yesterdayKwh), Ct);
        await StoredReadings.StoreAsync(app, SunnyDay.Readings(serial, today, Berlin, out var todayKwh, untilMs: now.AddMinutes(-1).ToUnixTimeMilliseconds()), Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);
        return (owner, plant, serial, yesterday, yesterdayKwh, todayKwh);
    }

    [Fact]
    public async Task Overview_HasTodaysEnergy_TheLifetime_AndWhatItEarned()
    {
        app.RequireAvailable();
        var (owner, plant, _, _, yesterdayKwh, todayKwh) = await FedPlantAsync();

        var overview = await owner.Client.GetFromJsonAsync<PlantOverviewDto>($"/api/v1/plants/{plant}/overview", Ct);

        Assert.NotNull(overview);
        Assert.Equal(todayKwh, overview.EnergyTodayKwh, 0.02);
        Assert.Equal(yesterdayKwh + todayKwh, overview.EnergyLifetimeKwh, 0.05);
        Assert.Equal(Math.Round((yesterdayKwh + todayKwh) * 0.475, 1), overview.Co2AvoidedKg, 0.1);
        Assert.InRange(overview.RevenueLifetime!.Value, Math.Round((decimal)(yesterdayKwh + todayKwh) * 0.08m, 2) - 0.01m, Math.Round((decimal)(yesterdayKwh + todayKwh) * 0.08m, 2) + 0.01m);
        Assert.Equal(Math.Round(todayKwh / 9.9, 3), overview.SpecificYieldTodayKwhPerKwp!.Value, 0.005);
        Assert.NotNull(overview.LastDataAt);
        Assert.Contains(overview.Status, new[] { "producing", "idle" });
        Assert.Equal("Europe/Berlin", overview.TimeZone);
    }

    [Fact]
    public async Task PowerCurve_OfYesterday_HasEveryFiveMinutesInLocalTime_AndDownloads()
    {
        app.RequireAvailable();
        var (owner, plant, _, yesterday, _, _) = await FedPlantAsync();
        var day = yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var curve = await owner.Client.GetFromJsonAsync<PowerCurveDto>($"/api/v1/plants/{plant}/power?date={day}", Ct);
        var csv = await owner.Client.GetAsync($"/api/v1/plants/{plant}/power?date={day}&format=csv", Ct);
        var xlsx = await owner.Client.GetAsync($"/api/v1/plants/{plant}/power?date={day}&format=xlsx", Ct);

        var (start, end) = LocalPeriods.DayRange(yesterday, Berlin);
        Assert.Equal((end - start) / 300_000, curve!.Points.Count);
        Assert.Equal(TimeOnly.MinValue, TimeOnly.FromDateTime(curve.Points[0].At.DateTime));
        Assert.Equal(Berlin.GetUtcOffset(curve.Points[0].At), curve.Points[0].At.Offset);
        Assert.InRange(curve.Points.Max(p => p.PowerW), 4900, 5000);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Time (Europe/Berlin),Power (W)", lines[0].TrimEnd('\r'));
        Assert.Equal(curve.Points.Count + 1, lines.Length);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync(Ct))[..2]);
    }

    [Fact]
    public async Task EnergyBars_ForEachPeriod_SumToTheirTotal()
    {
        app.RequireAvailable();
        var (owner, plant, _, yesterday, yesterdayKwh, todayKwh) = await FedPlantAsync();
        var day = yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var hours = await owner.Client.GetFromJsonAsync<EnergyBarsDto>($"/api/v1/plants/{plant}/energy?period=day&date={day}", Ct);
        var days = await owner.Client.GetFromJsonAsync<EnergyBarsDto>($"/api/v1/plants/{plant}/energy?period=month&date={day}", Ct);
        var lifetime = await owner.Client.GetFromJsonAsync<EnergyBarsDto>($"/api/v1/plants/{plant}/energy?period=lifetime", Ct);

        Assert.Equal(yesterdayKwh, hours!.TotalKwh, 0.02);
        Assert.Equal(LocalPeriods.DayRange(yesterday, Berlin) is var (s, e) ? (e - s) / 3_600_000 : 0, hours.Bars.Count);
        Assert.Equal("00:00", hours.Bars[0].Label);
        Assert.Equal(DateTime.DaysInMonth(yesterday.Year, yesterday.Month), days!.Bars.Count);
        Assert.Equal(yesterdayKwh, days.Bars.Single(b => b.Label == day).EnergyKwh, 0.02);
        Assert.Equal(yesterdayKwh + todayKwh, lifetime!.TotalKwh, 0.05);
    }

    [Fact]
    public async Task RawReadings_ComeInPages_WithTheMetricsAskedFor()
    {
        app.RequireAvailable();
        var (owner, _, serial, yesterday, _, _) = await FedPlantAsync();
        var (start, _) = LocalPeriods.DayRange(yesterday, Berlin);
        var from = Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(start).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(start + 3_600_000).ToString("O"));

        var first = await owner.Client.GetFromJsonAsync<RawReadingsPageDto>($"/api/v1/devices/{serial}/readings?from={from}&to={to}&metrics=activePowerW,energyTodayKwh&limit=7", Ct);
        var second = await owner.Client.GetFromJsonAsync<RawReadingsPageDto>($"/api/v1/devices/{serial}/readings?{first!.Next}", Ct);
        var csv = await owner.Client.GetStringAsync($"/api/v1/devices/{serial}/readings?from={from}&to={to}&metrics=activePowerW&format=csv", Ct);

        Assert.Equal(7, first.Readings.Count);
        Assert.Equal(["activePowerW", "energyTodayKwh"], first.Readings[0].Values.Keys.Order());
        Assert.Equal(5, second!.Readings.Count);
        Assert.Null(second.Next);
        Assert.True(second.Readings[0].At > first.Readings[^1].At);
        Assert.Equal(13, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task AnotherOwnersPlantAndDevice_AreNotFound_AndBadQueriesNameTheirField()
    {
        app.RequireAvailable();
        var (_, plant, serial, _, _, _) = await FedPlantAsync();
        var stranger = await app.RegisterOwnerAsync();
        var mine = await stranger.CreatePlantAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}/overview", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}/power", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}/energy?period=year", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/devices/{serial}/readings", Ct)).StatusCode);
        foreach (var (query, field) in new[] { ("power?date=30.11.2026", "date"), ("energy?period=week", "period"), ("power?format=pdf", "format") })
        {
            var response = await stranger.Client.GetAsync($"/api/v1/plants/{mine}/{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }
}

public sealed class SqliteTelemetryApiTests(SqliteApp app) : TelemetryApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTelemetryApiTests(PostgresApp app) : TelemetryApiTests(app), IClassFixture<PostgresApp>;
