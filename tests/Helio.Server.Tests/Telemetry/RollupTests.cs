using System.Net;
using System.Net.Http.Json;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Telemetry;

/// <summary>Raw readings → rollup worker → rollups in the plant's local calendar, on each database.</summary>
public abstract class RollupTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private async Task<(Guid Plant, string Serial)> PlantWithInverterAsync() => await PlantWithInverterAsync(await app.RegisterOwnerAsync());

    private async Task<(Guid Plant, string Serial)> PlantWithInverterAsync(Owner owner)
    {
        var plant = await owner.CreatePlantAsync("Roof", "Europe/Berlin");
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return (plant, serial);
    }

    private async Task<List<PlantRollup>> PlantRowsAsync(Guid plant, RollupLevel level)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PlantRollups.AsNoTracking()
            .Where(r => r.PlantId == plant && r.Level == level).OrderBy(r => r.Period).ToListAsync(Ct);
    }

    [Theory]
    [InlineData(2026, 10, 25, 25)] // autumn: the clock goes back, 25 hours
    [InlineData(2026, 3, 29, 23)] // spring: the clock goes forward, 23 hours
    [InlineData(2026, 6, 21, 24)]
    public async Task ALocalDay_HasItsHours_AndItsEnergyIsTheDayCounters(int year, int month, int day, int hours)
    {
        app.RequireAvailable();
        var (plant, serial) = await PlantWithInverterAsync();
        var date = new DateOnly(year, month, day);
        await StoredReadings.StoreAsync(app, SunnyDay.Readings(serial, date, Berlin, out var dayKwh), Ct);

        await SunnyDay.RollUpAllAsync(app, Ct);

        var days = await PlantRowsAsync(plant, RollupLevel.Day);
        var only = Assert.Single(days);
        Assert.Equal(LocalPeriods.DayKey(date), only.Period);
        Assert.Equal(dayKwh * 1000, only.EnergyWh, 10.0);
        var hourRows = await PlantRowsAsync(plant, RollupLevel.Hour);
        Assert.Equal(hours, hourRows.Count);
        Assert.Equal(only.EnergyWh, hourRows.Sum(h => h.EnergyWh));
        Assert.Equal(hours * 12, (await PlantRowsAsync(plant, RollupLevel.FiveMinutes)).Count);
        Assert.Equal(only.EnergyWh, Assert.Single(await PlantRowsAsync(plant, RollupLevel.Month)).EnergyWh);
        Assert.Equal(only.EnergyWh, Assert.Single(await PlantRowsAsync(plant, RollupLevel.Year)).EnergyWh);
        Assert.InRange(hourRows.Max(h => h.PowerMaxW), 4900, 5000);
    }

    [Fact]
    public async Task LateReadings_FillTheirHours_WithoutChangingTheDay()
    {
        app.RequireAvailable();
        var (plant, serial) = await PlantWithInverterAsync();
        var date = new DateOnly(2026, 7, 1);
        var all = SunnyDay.Readings(serial, date, Berlin, out var dayKwh);
        bool Late(TelemetryReading r) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), Berlin).Hour == 11;
        await StoredReadings.StoreAsync(app, all.Where(r => !Late(r)).ToList(), Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);
        var before = await PlantRowsAsync(plant, RollupLevel.Hour);

        await StoredReadings.StoreAsync(app, all.Where(Late).ToList(), Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);

        var after = await PlantRowsAsync(plant, RollupLevel.Hour);
        var eleven = LocalPeriods.HourKey(new DateTimeOffset(2026, 7, 1, 11, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeMilliseconds(), Berlin);
        var noon = LocalPeriods.HourKey(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeMilliseconds(), Berlin);
        Assert.DoesNotContain(before, h => h.Period == eleven);
        Assert.True(before.Single(h => h.Period == noon).EnergyWh > 7000, "the gap's energy went to the first reading after it");
        Assert.InRange(after.Single(h => h.Period == eleven).EnergyWh, 4000, 5200);
        Assert.InRange(after.Single(h => h.Period == noon).EnergyWh, 4000, 5200);
        Assert.Equal(dayKwh * 1000, Assert.Single(await PlantRowsAsync(plant, RollupLevel.Day)).EnergyWh, 10.0);
    }

    [Fact]
    public async Task AnInverterReplacedAtNoon_AddsUpWithItsSuccessor()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof", "Europe/Berlin");
        var serials = new[] { "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999), "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999) };
        foreach (var serial in serials)
        {
            await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        }
        var date = new DateOnly(2026, 7, 2);
        var oldOne = SunnyDay.Readings(serials[0], date, Berlin, out var dayKwh);
        var newOne = SunnyDay.Readings(serials[1], date, Berlin, out _);
        var noon = new DateTimeOffset(2026, 7, 2, 12, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeMilliseconds();
        // The new inverter's day counter starts from zero when it is installed.
        var atNoon = oldOne.Last(r => r.AtMs < noon).Reading[Metric.EnergyTodayKwh]!.Value;
        var successor = newOne.Where(r => r.AtMs >= noon).Select(r =>
        {
            var reading = r.Reading;
            reading.Set(Metric.EnergyTodayKwh, Math.Round(reading[Metric.EnergyTodayKwh]!.Value - atNoon, 2));
            return r with { Reading = reading };
        }).ToList();

        await StoredReadings.StoreAsync(app, [.. oldOne.Where(r => r.AtMs < noon), .. successor], Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);

        Assert.Equal(dayKwh * 1000, Assert.Single(await PlantRowsAsync(plant, RollupLevel.Day)).EnergyWh, 20.0);
    }

    [Fact]
    public async Task ReadingsSentBeforeRegistration_CountForThePlant_OnceTheInverterIsRegistered()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof", "Europe/Berlin");
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        await StoredReadings.StoreAsync(app, SunnyDay.Readings(serial, new DateOnly(2026, 7, 3), Berlin, out var dayKwh), Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);
        Assert.Empty(await PlantRowsAsync(plant, RollupLevel.Day));

        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);

        var day = Assert.Single(await PlantRowsAsync(plant, RollupLevel.Day));
        Assert.Equal(20260703, day.Period);
        Assert.Equal(dayKwh * 1000, day.EnergyWh, 10.0);
    }

    [Fact]
    public async Task APlantMovedToAnotherZone_HasItsHistoryRolledUpInTheNewZone()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var (plant, serial) = await PlantWithInverterAsync(owner);
        await StoredReadings.StoreAsync(app, SunnyDay.Readings(serial, new DateOnly(2026, 7, 4), Berlin, out var dayKwh), Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);

        var moved = await owner.Client.PutAsJsonAsync($"/api/v1/plants/{plant}", new { name = "Roof", latitude = 48.1, longitude = 11.6, timeZone = "America/New_York", capacityKwp = 9.9 }, Ct);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await SunnyDay.RollUpAllAsync(app, Ct);

        // Berlin's 4 July is 3 July 18:00 to 4 July 18:00 in New York; the sun shone 01:00–11:00 there.
        var days = await PlantRowsAsync(plant, RollupLevel.Day);
        Assert.Equal([20260703, 20260704], days.Select(d => d.Period));
        Assert.Equal(0, days[0].EnergyWh);
        Assert.Equal(dayKwh * 1000, days[1].EnergyWh, 10.0);
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var firstSunnyHour = (await PlantRowsAsync(plant, RollupLevel.Hour)).First(h => h.EnergyWh > 0).Period;
        Assert.Equal(1, TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(firstSunnyHour), newYork).Hour);
    }
}

public sealed class SqliteRollupTests(SqliteApp app) : RollupTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresRollupTests(PostgresApp app) : RollupTests(app), IClassFixture<PostgresApp>;
