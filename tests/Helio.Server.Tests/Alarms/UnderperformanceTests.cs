using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Helio.Server.Tests.Telemetry;
using Helio.Simulator.Inverters;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Alarms;

/// <summary>
/// The app's clock, moved to any instant while it keeps running (timers stay real). A FakeTimeProvider would stop
/// every periodic worker the tests rely on (the mail outbox that confirms the owners) until advanced by hand.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void MoveTo(DateTimeOffset instant) => Interlocked.Exchange(ref offsetTicks, (instant - base.GetUtcNow()).Ticks);

    /// <summary>Back to real time: sign-in tokens are issued and checked against it.</summary>
    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}

public abstract class UnderperformanceApp(Provider provider) : HelioApp(provider)
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        // The tests run the check themselves, at the instants they choose.
        builder.UseSetting("Alarms:UnderperformanceCheckInterval", "1.00:00:00");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class SqliteUnderperformanceApp() : UnderperformanceApp(Provider.Sqlite);

public sealed class PostgresUnderperformanceApp() : UnderperformanceApp(Provider.Postgres);

/// <summary>
/// Simulated plants (SimulatedInverter, some derated) → readings → rollups → the daily underperformance check.
/// Each test puts its plants in a city of its own, more than the 50 km radius from the others', and on days of its own,
/// so tests sharing the app are never each other's neighbours.
/// </summary>
public abstract class UnderperformanceTests(UnderperformanceApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Same seed and index for every inverter: plants this close share their weather.</summary>
    private const ulong Weather = 7;

    private sealed record SimPlant(Guid Id, SimulatedInverter Inverter);

    private async Task<SimPlant> PlantAsync(Owner owner, double latitude, double longitude, double derate = 1)
    {
        var created = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name = "Roof", latitude, longitude, timeZone = "Europe/Berlin", capacityKwp = 10 }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plant = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return new SimPlant(plant, new SimulatedInverter(serial, new SimulatedPlant(latitude, longitude, Berlin, 10), Weather, 0) { Derate = derate });
    }

    /// <summary>A local day of the inverters' readings every 5 minutes, stored as the gateway would, and rolled up.</summary>
    private async Task SimulateAsync(DateOnly date, params SimPlant[] plants)
    {
        var (start, end) = LocalPeriods.DayRange(date, Berlin);
        var readings = new List<TelemetryReading>();
        foreach (var plant in plants)
        {
            for (var at = start; at < end; at += LocalPeriods.FiveMinutesMs)
            {
                plant.Inverter.Advance(DateTimeOffset.FromUnixTimeMilliseconds(at));
                var reading = new InverterReading { State = plant.Inverter.ActivePowerW > 0 ? InverterState.OnGrid : InverterState.Waiting };
                reading.Set(Metric.ActivePowerW, Math.Round(plant.Inverter.ActivePowerW));
                reading.Set(Metric.EnergyTodayKwh, Math.Round(plant.Inverter.EnergyTodayKwh, 2));
                readings.Add(new TelemetryReading(plant.Inverter.SerialNumber, null, at, reading));
            }
        }
        await StoredReadings.StoreAsync(app, readings, Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);
    }

    /// <summary>Runs the check at 02:00 on the morning after <paramref name="day"/> in Berlin.</summary>
    private async Task<int> JudgeAsync(DateOnly day)
    {
        app.Clock.MoveTo(DateTimeOffset.FromUnixTimeMilliseconds(LocalPeriods.DayRange(day.AddDays(1), Berlin).StartMs).AddHours(2));
        return await app.Services.GetRequiredService<UnderperformanceCheck>().RunOnceAsync(Ct);
    }

    private async Task<List<Alarm>> AlarmsAsync(Guid plant)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Alarms.AsNoTracking()
            .Where(a => a.PlantId == plant && a.Source == AlarmSource.Underperformance).ToListAsync(Ct);
    }

    private async Task<Owner> OwnerAsync()
    {
        app.RequireAvailable();
        app.Clock.Reset();
        return await app.RegisterOwnerAsync();
    }

    [Fact]
    public async Task ThreeNeighbours_TheOneDeratedTo40Percent_IsFlaggedAgainstTheirMedian_TheHealthyOnesNot_AndOnlyOnce()
    {
        var owner = await OwnerAsync();
        var a = await PlantAsync(owner, 48.10, 11.60);
        var b = await PlantAsync(owner, 48.15, 11.50);
        var weak = await PlantAsync(owner, 48.05, 11.70, derate: 0.4);
        var day = new DateOnly(2026, 6, 21);
        await SimulateAsync(day, a, b, weak);

        Assert.True(await JudgeAsync(day) >= 3);

        Assert.Empty(await AlarmsAsync(a.Id));
        Assert.Empty(await AlarmsAsync(b.Id));
        var alarm = Assert.Single(await AlarmsAsync(weak.Id));
        Assert.Null(alarm.DeviceSerial);
        Assert.Equal(UnderperformanceRule.Code, alarm.Code);
        Assert.Equal(AlarmSeverity.Warning, alarm.Severity);
        var why = AlarmExplanation.FromJson(alarm.Explanation);
        Assert.Equal(UnderperformanceRule.NeighboursRule, why.Rule);
        Assert.StartsWith("neighbours", why.Inputs["Method"], StringComparison.Ordinal);
        Assert.Equal("2 within 50 km", why.Inputs["Neighbours with data"]);
        Assert.Equal("2026-06-21 (Europe/Berlin)", why.Inputs["Day"]);
        Assert.InRange(double.Parse(why.Inputs["Share of expected"].TrimEnd('%', ' '), CultureInfo.InvariantCulture), 35, 45);
        Assert.Equal("50 % of expected (the default)", why.Thresholds["Underperformance threshold"]);

        // Each day is judged once: later runs the same morning leave the alarm as it is.
        Assert.Equal(0, await JudgeAsync(day));
        Assert.Equal(0, await app.Services.GetRequiredService<UnderperformanceCheck>().RunOnceAsync(Ct));
        Assert.Equal(1, Assert.Single(await AlarmsAsync(weak.Id)).Occurrences);
    }

    [Fact]
    public async Task ALonePlant_OnAnOrdinarySimulatedDay_IsHealthy_AndItsDayIsRecordedWithoutFreezingTheDefaults()
    {
        var owner = await OwnerAsync();
        var lone = await PlantAsync(owner, 52.50, 13.40);
        var day = new DateOnly(2026, 6, 22);
        await SimulateAsync(day, lone);

        Assert.True(await JudgeAsync(day) >= 1);

        Assert.Empty(await AlarmsAsync(lone.Id));
        await using var scope = app.Scope();
        var row = await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PlantAlarmSettings.AsNoTracking().SingleAsync(s => s.PlantId == lone.Id, Ct);
        Assert.Equal(day, row.UnderperformanceCheckedDay);
        Assert.Equal(PlantAlarmSettings.Inherit, row.UnderperformancePercent);
        Assert.Equal(PlantAlarmSettings.Inherit, row.OfflineAfterMinutes);
    }

    [Fact]
    public async Task ALonePlant_AtATenthOfItsOutput_IsFlaggedAsInformation_AgainstAClearSky()
    {
        var owner = await OwnerAsync();
        var lone = await PlantAsync(owner, 50.10, 8.70, derate: 0.1);
        var day = new DateOnly(2026, 6, 23);
        await SimulateAsync(day, lone);

        await JudgeAsync(day);

        var alarm = Assert.Single(await AlarmsAsync(lone.Id));
        Assert.Equal(AlarmSeverity.Info, alarm.Severity);
        var why = AlarmExplanation.FromJson(alarm.Explanation);
        Assert.Equal(UnderperformanceRule.ClearSkyRule, why.Rule);
        Assert.StartsWith("clear sky", why.Inputs["Method"], StringComparison.Ordinal);
        Assert.Equal("0 within 50 km", why.Inputs["Neighbours with data"]);
        Assert.Contains("weather may be the cause", why.Summary, StringComparison.Ordinal);
        Assert.StartsWith("energy < 50 % × 0.4 = 20 % × clear-sky energy =", why.Thresholds["Comparison"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFlaggedPlant_IsCleared_AfterAHealthyDay()
    {
        var owner = await OwnerAsync();
        var lone = await PlantAsync(owner, 53.55, 10.00, derate: 0.1);
        var bad = new DateOnly(2026, 6, 24);
        await SimulateAsync(bad, lone);
        await JudgeAsync(bad);
        Assert.True(Assert.Single(await AlarmsAsync(lone.Id)).IsActive);

        lone.Inverter.Derate = 1; // cleaned
        await SimulateAsync(bad.AddDays(1), lone);
        await JudgeAsync(bad.AddDays(1));

        var alarm = Assert.Single(await AlarmsAsync(lone.Id));
        Assert.Equal(AlarmState.Cleared, alarm.State);
        Assert.Equal(1, alarm.Occurrences);
    }

    [Fact]
    public async Task APlantsOwnThreshold_IsHonoured()
    {
        var owner = await OwnerAsync();
        var a = await PlantAsync(owner, 47.05, 8.30);
        var b = await PlantAsync(owner, 47.10, 8.25);
        var strict = await PlantAsync(owner, 47.00, 8.35, derate: 0.7);
        var lenient = await PlantAsync(owner, 47.02, 8.20, derate: 0.7);
        var set = await owner.Client.PutAsJsonAsync($"/api/v1/plants/{strict.Id}/alarm-settings", new { underperformancePercent = 80, offlineAfterMinutes = 30 }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var day = new DateOnly(2026, 6, 26);
        await SimulateAsync(day, a, b, strict, lenient);

        await JudgeAsync(day);

        // Both made about 70 % of their neighbours' median: below the plant's own 80 %, above the default 50 %.
        var alarm = Assert.Single(await AlarmsAsync(strict.Id));
        Assert.Equal("80 % of expected (the plant's setting)", AlarmExplanation.FromJson(alarm.Explanation).Thresholds["Underperformance threshold"]);
        Assert.Empty(await AlarmsAsync(lenient.Id));
        Assert.Empty(await AlarmsAsync(a.Id));
    }
}

public sealed class SqliteUnderperformanceTests(SqliteUnderperformanceApp app) : UnderperformanceTests(app), IClassFixture<SqliteUnderperformanceApp>;

public sealed class PostgresUnderperformanceTests(PostgresUnderperformanceApp app) : UnderperformanceTests(app), IClassFixture<PostgresUnderperformanceApp>;
