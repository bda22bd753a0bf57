using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>A plant's power over one local day, from its 5-minute rollups (at most 300 rows, one index range).</summary>
internal sealed class PowerCurves(HelioDbContext db, PlantAccess access, TimeProvider time, ClosedPeriodCache cache)
{
    public async Task<PowerCurveDto?> GetAsync(Guid userId, Guid plantId, DateOnly? date, CancellationToken cancellationToken)
    {
        if (await SeriesPlant.FindAsync(access, userId, plantId, cancellationToken) is not { } plant)
        {
            return null;
        }
        var today = plant.Today(time);
        var day = date ?? today;
        return await cache.GetAsync(day < today, ("power", plant.Id, day, plant.TimeZone), async () =>
        {
            var (start, end) = LocalPeriods.DayRange(day, plant.Zone);
            var rows = await db.PlantRollups.AsNoTracking()
                .Where(r => r.PlantId == plant.Id && r.Level == RollupLevel.FiveMinutes && r.Period >= start && r.Period < end)
                .OrderBy(r => r.Period).Select(r => new { r.Period, r.PowerAvgW }).ToListAsync(cancellationToken);
            return new PowerCurveDto(plant.Id, day, plant.TimeZone,
                rows.Select(r => new PowerPointDto(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(r.Period), plant.Zone), r.PowerAvgW)).ToList());
        });
    }
}
