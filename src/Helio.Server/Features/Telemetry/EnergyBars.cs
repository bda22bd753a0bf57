using System.Globalization;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// A plant's energy per hour of a local day, day of a month, month of a year, or year of its life, from the rollup
/// level that has exactly those periods: one index range of at most a few dozen rows, whatever the period.
/// </summary>
internal sealed class EnergyBars(HelioDbContext db, PlantAccess access, TimeProvider time, ClosedPeriodCache cache)
{
    public static readonly string[] Periods = ["day", "month", "year", "lifetime"];

    public async Task<EnergyBarsDto?> GetAsync(Guid userId, Guid plantId, string period, DateOnly? date, CancellationToken cancellationToken)
    {
        if (await SeriesPlant.FindAsync(access, userId, plantId, cancellationToken) is not { } plant)
        {
            return null;
        }
        var today = plant.Today(time);
        var day = date ?? today;
        var closed = period switch
        {
            "day" => day < today,
            "month" => new DateOnly(day.Year, day.Month, 1).AddMonths(1) <= today,
            "year" => day.Year < today.Year,
            _ => false,
        };
        return await cache.GetAsync(closed, ("energy", plant.Id, period, day, plant.TimeZone), () => ComputeAsync(plant, period, day, today, cancellationToken));
    }

    private async Task<EnergyBarsDto> ComputeAsync(SeriesPlant plant, string period, DateOnly day, DateOnly today, CancellationToken cancellationToken)
    {
        var zone = plant.Zone;
        var slots = new List<(long Key, string Label, DateTimeOffset Start)>();
        RollupLevel level;
        switch (period)
        {
            case "day":
                level = RollupLevel.Hour;
                var (start, end) = LocalPeriods.DayRange(day, zone);
                for (var hour = start; hour < end; hour = LocalPeriods.HourEnd(hour, zone))
                {
                    var local = Local(hour, zone);
                    slots.Add((LocalPeriods.HourKey(hour, zone), local.ToString("HH:mm", CultureInfo.InvariantCulture), local));
                }
                break;
            case "month":
                level = RollupLevel.Day;
                for (var d = new DateOnly(day.Year, day.Month, 1); d.Month == day.Month; d = d.AddDays(1))
                {
                    slots.Add((LocalPeriods.DayKey(d), d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Local(LocalPeriods.DayRange(d, zone).StartMs, zone)));
                }
                break;
            case "year":
                level = RollupLevel.Month;
                for (var month = 1; month <= 12; month++)
                {
                    var first = new DateOnly(day.Year, month, 1);
                    slots.Add((LocalPeriods.MonthKey(day.Year, month), first.ToString("yyyy-MM", CultureInfo.InvariantCulture), Local(LocalPeriods.DayRange(first, zone).StartMs, zone)));
                }
                break;
            default:
                level = RollupLevel.Year;
                var firstYear = await db.PlantRollups.Where(r => r.PlantId == plant.Id && r.Level == RollupLevel.Year).MinAsync(r => (long?)r.Period, cancellationToken) ?? today.Year;
                for (var year = (int)firstYear; year <= Math.Max(today.Year, (int)firstYear); year++)
                {
                    slots.Add((LocalPeriods.YearKey(year), year.ToString(CultureInfo.InvariantCulture), Local(LocalPeriods.DayRange(new DateOnly(year, 1, 1), zone).StartMs, zone)));
                }
                break;
        }
        var (from, to) = (slots[0].Key, slots[^1].Key);
        var energy = await db.PlantRollups.AsNoTracking()
            .Where(r => r.PlantId == plant.Id && r.Level == level && r.Period >= from && r.Period <= to)
            .ToDictionaryAsync(r => r.Period, r => r.EnergyWh / 1000.0, cancellationToken);
        var bars = slots.Select(s => new EnergyBarDto(s.Label, s.Start, energy.GetValueOrDefault(s.Key))).ToList();
        var date = period switch
        {
            "day" => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "month" => day.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            "year" => day.ToString("yyyy", CultureInfo.InvariantCulture),
            _ => "",
        };
        return new EnergyBarsDto(plant.Id, period, date, plant.TimeZone, Math.Round(bars.Sum(b => b.EnergyKwh), 3), bars);
    }

    private static DateTimeOffset Local(long atMs, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(atMs), zone);
}
