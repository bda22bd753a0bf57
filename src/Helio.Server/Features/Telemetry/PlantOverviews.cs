using Helio.Protocols.RegisterMaps;
using Helio.Protocols.Solar;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Plants at a glance, one or all the user can see (the portfolio), in a fixed number of queries however many
/// plants: the plants, their inverters' latest readings (one index probe each), and the day, month and year rollups.
/// </summary>
internal sealed class PlantOverviews(HelioDbContext db, PlantAccess access, TimeProvider time, IOptions<TelemetryOptions> options)
{
    /// <summary>A plant whose newest reading is older than this is offline (by day) or asleep (at night).</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(15);

    public async Task<PlantOverviewDto?> GetAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        (await OverviewsAsync(access.Visible(userId).Where(p => p.Id == plantId), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<PlantOverviewDto>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        OverviewsAsync(access.Visible(userId), cancellationToken);

    private async Task<IReadOnlyList<PlantOverviewDto>> OverviewsAsync(IQueryable<Plant> plants, CancellationToken cancellationToken)
    {
        var rows = await plants.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.TimeZone, p.CapacityKwp, p.FeedInTariff, p.Currency, p.Latitude, p.Longitude })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(p => p.Id).ToList();
        var latest = await LatestReadingsAsync(ids, cancellationToken);
        var now = time.GetUtcNow();
        var periods = rows.ToDictionary(p => p.Id, p => LocalKeys(now, Zones.Find(p.TimeZone)));
        var dayKeys = periods.Values.Select(k => k.Day).Distinct().ToList();
        var monthKeys = periods.Values.Select(k => k.Month).Distinct().ToList();
        // One key range (PlantId, Level[, Period]) per level: an OR of the levels would let SQLite use only the
        // PlantId prefix and read all of a plant's rollups, five-minute rows included (BENCHMARKS.md, Telemetry).
        var years = await db.PlantRollups.AsNoTracking().Where(r => ids.Contains(r.PlantId) && r.Level == RollupLevel.Year)
            .Select(r => new { r.PlantId, r.Level, r.Period, r.EnergyWh }).ToListAsync(cancellationToken);
        var months = await db.PlantRollups.AsNoTracking().Where(r => ids.Contains(r.PlantId) && r.Level == RollupLevel.Month && monthKeys.Contains(r.Period))
            .Select(r => new { r.PlantId, r.Level, r.Period, r.EnergyWh }).ToListAsync(cancellationToken);
        var days = await db.PlantRollups.AsNoTracking().Where(r => ids.Contains(r.PlantId) && r.Level == RollupLevel.Day && dayKeys.Contains(r.Period))
            .Select(r => new { r.PlantId, r.Level, r.Period, r.EnergyWh }).ToListAsync(cancellationToken);
        var energies = years.Concat(months).Concat(days);
        var byPlant = energies.ToLookup(e => e.PlantId);

        var factor = options.Value.Co2KgPerKwh;
        var result = new List<PlantOverviewDto>(rows.Count);
        foreach (var plant in rows)
        {
            var keys = periods[plant.Id];
            var mine = byPlant[plant.Id].ToList();
            double Kwh(RollupLevel level, long? period) =>
                mine.Where(e => e.Level == level && (period is null || e.Period == period)).Sum(e => e.EnergyWh) / 1000.0;
            var today = Kwh(RollupLevel.Day, keys.Day);
            var lifetime = Kwh(RollupLevel.Year, null);
            var readings = latest.TryGetValue(plant.Id, out var list) ? list : [];
            var fresh = readings.Where(r => now - DateTimeOffset.FromUnixTimeMilliseconds(r.At) <= Fresh).ToList();
            var lastAt = readings.Count == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(readings.Max(r => r.At));
            var zone = Zones.Find(plant.TimeZone);
            result.Add(new PlantOverviewDto(
                plant.Id,
                plant.Name,
                plant.Latitude,
                plant.Longitude,
                plant.TimeZone,
                Status(readings, fresh, SunPosition.CosZenith(plant.Latitude, plant.Longitude, now) > 0),
                lastAt is { } last ? TimeZoneInfo.ConvertTime(last, zone) : null,
                fresh.Sum(r => r.ActivePowerW ?? 0),
                plant.CapacityKwp,
                today,
                Kwh(RollupLevel.Month, keys.Month),
                Kwh(RollupLevel.Year, keys.Year),
                lifetime,
                plant.CapacityKwp > 0 ? Math.Round(today / plant.CapacityKwp, 3) : null,
                Math.Round(lifetime * factor, 1),
                plant.FeedInTariff is { } tariff ? Math.Round((decimal)today * tariff, 2) : null,
                plant.FeedInTariff is { } lifetimeTariff ? Math.Round((decimal)lifetime * lifetimeTariff, 2) : null,
                plant.Currency,
                Flow(fresh)));
        }
        return result;
    }

    /// <summary>Each inverter's newest reading, by plant: its newest instant from the (device, at) index (a backward
    /// probe), then the row by its key. ("Newest first, take one" would become a window function over every raw
    /// reading of every device; BENCHMARKS.md, Telemetry.)</summary>
    private async Task<Dictionary<Guid, List<StoredReading>>> LatestReadingsAsync(List<Guid> plantIds, CancellationToken cancellationToken)
    {
        var rows = await (
            from d in db.Devices
            where plantIds.Contains(d.PlantId) && d.Kind == Devices.DeviceKind.Inverter
            join t in db.TelemetryDevices on d.SerialNumber equals t.Serial
            join r in db.Readings on t.Number equals r.Device
            where r.At == db.Readings.Where(newest => newest.Device == t.Number).Max(newest => newest.At)
            select new { d.PlantId, Reading = r }).AsNoTracking().ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.PlantId).ToDictionary(g => g.Key, g => g.Select(r => r.Reading).ToList());
    }

    private static string Status(List<StoredReading> all, List<StoredReading> fresh, bool daylight)
    {
        if (all.Count == 0)
        {
            return "noData";
        }
        if (fresh.Any(r => r.Faults is not null || (InverterState)r.State is InverterState.Fault or InverterState.PermanentFault))
        {
            return "fault";
        }
        if (fresh.Count == 0)
        {
            return daylight ? "offline" : "idle";
        }
        return fresh.Any(r => r.ActivePowerW > 0) ? "producing" : "idle";
    }

    private static EnergyFlowDto? Flow(List<StoredReading> fresh)
    {
        if (!fresh.Any(r => r.PvPowerW is not null || r.LoadPowerW is not null || r.BatteryPowerW is not null))
        {
            return null;
        }
        static double? Sum(IEnumerable<int?> values) => values.Any(v => v is not null) ? values.Sum(v => v ?? 0) : null;
        var soc = fresh.Where(r => r.BatterySocPermille is not null).Select(r => r.BatterySocPermille!.Value / 10.0).ToList();
        return new EnergyFlowDto(
            Sum(fresh.Select(r => r.PvPowerW)),
            Sum(fresh.Select(r => r.LoadPowerW)),
            Sum(fresh.Select(r => r.GridPowerW)),
            Sum(fresh.Select(r => r.BatteryPowerW)),
            soc.Count == 0 ? null : Math.Round(soc.Average(), 1));
    }

    private static (long Day, long Month, long Year) LocalKeys(DateTimeOffset now, TimeZoneInfo zone)
    {
        var date = LocalPeriods.LocalDate(now.ToUnixTimeMilliseconds(), zone);
        return (LocalPeriods.DayKey(date), LocalPeriods.MonthKey(date.Year, date.Month), LocalPeriods.YearKey(date.Year));
    }
}
