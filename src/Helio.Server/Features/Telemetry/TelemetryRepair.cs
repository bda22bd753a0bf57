using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Removes a device's wrong readings in a time range (a correction request's repair, Features/Privacy/Requests) and
/// leaves every figure built on them right: the device's and its plant's 5-minute rollups in the range go, the hours,
/// days, months and years over the range are recomputed from what is left (a period left with nothing disappears), and
/// the buckets whose figures depend on the removed readings — the device's neighbouring readings, the plant's other
/// devices in the range — are marked for the rollup worker. The range is bounded by the caller (a month at most), so
/// this is a few thousand statements at worst.
/// </summary>
public static class TelemetryRepair
{
    /// <summary>Returns how many readings were deleted.</summary>
    public static async Task<int> DeleteReadingsAsync(HelioDbContext db, string serial, Guid plantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var number = await db.TelemetryDevices.Where(d => d.Serial == serial).Select(d => (int?)d.Number).SingleOrDefaultAsync(cancellationToken);
        var zoneId = await db.Plants.Where(p => p.Id == plantId).Select(p => p.TimeZone).SingleAsync(cancellationToken);
        if (number is not { } device)
        {
            return 0;
        }
        var start = from.ToUnixTimeMilliseconds();
        var end = to.ToUnixTimeMilliseconds();
        var deleted = await db.Readings.Where(r => r.Device == device && r.At >= start && r.At < end).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return 0;
        }
        var first = LocalPeriods.FiveMinuteBucket(start);
        await db.DeviceRollups.Where(r => r.Device == device && r.Level == RollupLevel.FiveMinutes && r.Period >= first && r.Period < end).ExecuteDeleteAsync(cancellationToken);
        await db.PlantRollups.Where(r => r.PlantId == plantId && r.Level == RollupLevel.FiveMinutes && r.Period >= first && r.Period < end).ExecuteDeleteAsync(cancellationToken);

        // What the worker recomputes from raw readings: every bucket in the range that still has readings of the plant's
        // devices (the plant's sum, the edges of the range), and the device's nearest readings outside it (their energy
        // was attributed against the removed ones).
        var token = Random.Shared.NextInt64();
        var plantDevices = db.Devices.Where(d => d.PlantId == plantId).Join(db.TelemetryDevices, d => d.SerialNumber, t => t.Serial, (d, t) => t.Number);
        var marks = await db.Readings.Where(r => plantDevices.Contains(r.Device) && r.At >= first && r.At < end + LocalPeriods.FiveMinutesMs)
            .Select(r => r.At - (r.At % LocalPeriods.FiveMinutesMs)).Distinct().ToListAsync(cancellationToken);
        var before = await db.Readings.Where(r => r.Device == device && r.At < start).OrderByDescending(r => r.At).Select(r => (long?)r.At).FirstOrDefaultAsync(cancellationToken);
        var after = await db.Readings.Where(r => r.Device == device && r.At >= end).OrderBy(r => r.At).Select(r => (long?)r.At).FirstOrDefaultAsync(cancellationToken);
        foreach (var at in new[] { before, after }.OfType<long>())
        {
            marks.Add(LocalPeriods.FiveMinuteBucket(at));
        }
        foreach (var bucket in marks.Distinct())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO rollup_dirty ("Bucket", "Token") VALUES ({bucket}, {token})
                ON CONFLICT ("Bucket") DO UPDATE SET "Token" = excluded."Token"
                """, cancellationToken);
        }

        // The levels above, now: a day whose every reading was wrong has no children left and must go at once.
        var zone = Zones.Find(zoneId);
        var devicePeriods = new HashSet<(int Key, TimeZoneInfo Zone, long Period)>();
        var plantPeriods = new HashSet<(Guid Key, TimeZoneInfo Zone, long Period)>();
        for (var bucket = first; bucket < end; bucket += LocalPeriods.FiveMinutesMs)
        {
            devicePeriods.Add((device, zone, bucket));
            plantPeriods.Add((plantId, zone, bucket));
        }
        await BucketRollup.ParentsAsync(db, devicePeriods, plantPeriods, cancellationToken);
        return deleted;
    }
}
