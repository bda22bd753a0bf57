using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Rolls up marked 5-minute buckets: every device with readings in one gets its 5-minute figures recomputed from
/// raw readings, and so do the buckets of its neighbouring readings (a reading's energy depends on the readings
/// around it, so late data changes the interval after it, and a glitch is only recognised by the reading after it).
/// Then each touched device and plant has its hours, local days, months and years recomputed from the level below,
/// each once however many of its buckets changed. Idempotent: computing a bucket twice gives the same rows, so a
/// crash half-way only means doing it again.
/// </summary>
internal sealed class BucketRollup(HelioDbContext db)
{
    private const long Bucket = LocalPeriods.FiveMinutesMs;

    /// <summary>Readings before and after a bucket that its figures (and its neighbours') depend on.</summary>
    private const int Context = 2;

    public async Task RollUpAsync(IReadOnlyCollection<long> buckets, CancellationToken cancellationToken)
    {
        var work = new HashSet<(int Device, long Bucket)>();
        foreach (var bucket in buckets)
        {
            await AddWorkAsync(bucket, work, cancellationToken);
        }
        await ComputeAndStoreAsync(work, cancellationToken);
    }

    /// <summary>The (device, bucket) pairs a marked bucket makes stale: its own devices', and their neighbours'.</summary>
    private async Task AddWorkAsync(long bucket, HashSet<(int Device, long Bucket)> work, CancellationToken cancellationToken)
    {
        var end = bucket + Bucket;
        var devices = await db.Readings.Where(r => r.At >= bucket && r.At < end).Select(r => r.Device).Distinct().ToListAsync(cancellationToken);
        foreach (var device in devices)
        {
            work.Add((device, bucket));
            var before = await db.Readings.Where(r => r.Device == device && r.At < bucket).OrderByDescending(r => r.At).Select(r => r.At).FirstOrDefaultAsync(cancellationToken);
            if (before != 0)
            {
                work.Add((device, LocalPeriods.FiveMinuteBucket(before)));
            }
            foreach (var after in await db.Readings.Where(r => r.Device == device && r.At >= end).OrderBy(r => r.At).Select(r => r.At).Take(Context).ToListAsync(cancellationToken))
            {
                work.Add((device, LocalPeriods.FiveMinuteBucket(after)));
            }
        }
    }

    private async Task ComputeAndStoreAsync(HashSet<(int Device, long Bucket)> work, CancellationToken cancellationToken)
    {
        var owners = await DeviceOwners.OfAsync(db, work.Select(w => w.Device).Distinct().ToList(), cancellationToken);

        var figures = new List<(int Device, long Bucket, DeviceRollup? Row)>(work.Count);
        foreach (var (device, at) in work)
        {
            figures.Add((device, at, await ComputeAsync(device, at, owners[device], cancellationToken)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (device, at, row) in figures)
        {
            await db.DeviceRollups.Where(r => r.Device == device && r.Level == RollupLevel.FiveMinutes && r.Period == at).ExecuteDeleteAsync(cancellationToken);
            if (row is not null)
            {
                db.DeviceRollups.Add(row);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        var plantBuckets = new HashSet<(Guid Plant, long Bucket)>();
        foreach (var (device, at) in work)
        {
            if (owners[device].Plant is { } plant)
            {
                plantBuckets.Add((plant, at));
            }
        }
        foreach (var (plant, at) in plantBuckets)
        {
            await RollupAggregation.PlantBucketAsync(db, plant, at, cancellationToken);
        }

        await ParentsAsync(db,
            work.Select(w => (Key: w.Device, Zone: owners[w.Device].Zone, Period: w.Bucket)).ToHashSet(),
            plantBuckets.Select(p => (Key: p.Plant, Zone: owners.Values.First(o => o.Plant == p.Plant).Zone, Period: p.Bucket)).ToHashSet(),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Recomputes the hours, local days, months and years above the given 5-minute buckets of devices and plants.</summary>
    internal static async Task ParentsAsync(
        HelioDbContext db, HashSet<(int Key, TimeZoneInfo Zone, long Period)> devicePeriods, HashSet<(Guid Key, TimeZoneInfo Zone, long Period)> plantPeriods,
        CancellationToken cancellationToken)
    {
        // Level by level, each parent once: all of an hour's buckets are done before the hour, all hours before the day.
        for (var level = RollupLevel.Hour; level <= RollupLevel.Year; level++)
        {
            devicePeriods = Parents(devicePeriods, level);
            foreach (var (device, zone, period) in devicePeriods)
            {
                await RollupAggregation.DeviceAsync(db, device, level, period, LocalPeriods.ChildRange(level, period, zone), cancellationToken);
            }
            plantPeriods = Parents(plantPeriods, level);
            foreach (var (plant, zone, period) in plantPeriods)
            {
                await RollupAggregation.PlantAsync(db, plant, level, period, LocalPeriods.ChildRange(level, period, zone), cancellationToken);
            }
        }
    }

    private static HashSet<(T Key, TimeZoneInfo Zone, long Period)> Parents<T>(HashSet<(T Key, TimeZoneInfo Zone, long Period)> children, RollupLevel level) =>
        children.Select(c => (c.Key, c.Zone, LocalPeriods.ParentKey(level - 1, c.Period, c.Zone))).ToHashSet();

    /// <summary>A device's figures for one bucket from its raw readings, or null when it has none there.</summary>
    private async Task<DeviceRollup?> ComputeAsync(int device, long bucket, DeviceOwner owner, CancellationToken cancellationToken)
    {
        var end = bucket + Bucket;
        // Fewer than Context readings before the bucket means the window starts with the device's first reading.
        var before = await Window(device).Where(r => r.At < bucket).OrderByDescending(r => r.At).Take(Context).ToListAsync(cancellationToken);
        var inside = await Window(device).Where(r => r.At >= bucket && r.At < end).OrderBy(r => r.At).ToListAsync(cancellationToken);
        if (inside.Count == 0)
        {
            return null;
        }
        var after = await Window(device).Where(r => r.At >= end).OrderBy(r => r.At).Take(1).ToListAsync(cancellationToken);
        before.Reverse();
        var rows = before.Concat(inside).Concat(after).ToArray();
        var samples = rows.Select(r => new CounterSample(r.At, r.EnergyToday / 100.0, r.EnergyTotal / 100.0, r.ActivePowerW)).ToArray();
        var energy = new double[samples.Length];
        EnergyAccounting.Attribute(samples, energy, new EnergyLimits(owner.MaxPowerW), owner.Zone, seriesStart: before.Count < Context);

        var energyKwh = 0.0;
        for (var i = before.Count; i < before.Count + inside.Count; i++)
        {
            energyKwh += energy[i];
        }
        return new DeviceRollup
        {
            Device = device,
            Level = RollupLevel.FiveMinutes,
            Period = bucket,
            EnergyWh = (long)Math.Round(energyKwh * 1000),
            PowerAvgW = (int)Math.Round(inside.Average(r => r.ActivePowerW ?? 0)),
            PowerMaxW = inside.Max(r => r.ActivePowerW ?? 0),
            Samples = inside.Count,
            PvAvgW = Average(inside, r => r.PvPowerW),
            LoadAvgW = Average(inside, r => r.LoadPowerW),
            GridAvgW = Average(inside, r => r.GridPowerW),
            BatteryAvgW = Average(inside, r => r.BatteryPowerW),
            SocPermille = Average(inside, r => r.BatterySocPermille),
        };
    }

    private IQueryable<StoredReading> Window(int device) => db.Readings.AsNoTracking().Where(r => r.Device == device);

    private static int? Average(List<StoredReading> rows, Func<StoredReading, int?> value)
    {
        var values = rows.Select(value).Where(v => v is not null).ToList();
        return values.Count == 0 ? null : (int)Math.Round(values.Average(v => v!.Value));
    }
}
