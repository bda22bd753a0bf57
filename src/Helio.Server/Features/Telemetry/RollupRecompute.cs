using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Rolls a device's whole raw history up again, for when the calendar its rollups were computed in changes: a device
/// registered to a plant after its data arrived (a logger claimed within its 7 days: its rollups were in UTC and in
/// no plant), or a plant moved to another time zone (every local hour and day shifts). The old hour-and-above rows
/// are deleted, since their keys belong to the old calendar, and every bucket with readings is marked for the
/// rollup worker. Bounded by what raw retention keeps; older periods keep the figures they had.
/// </summary>
public static class RollupRecompute
{
    public static async Task DevicesAsync(HelioDbContext db, IReadOnlyCollection<string> serials, CancellationToken cancellationToken)
    {
        var numbers = await db.TelemetryDevices.Where(d => serials.Contains(d.Serial)).Select(d => d.Number).ToListAsync(cancellationToken);
        var token = Random.Shared.NextInt64();
        foreach (var number in numbers)
        {
            await db.DeviceRollups.Where(r => r.Device == number && r.Level != RollupLevel.FiveMinutes).ExecuteDeleteAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO rollup_dirty ("Bucket", "Token")
                SELECT DISTINCT at - (at % {LocalPeriods.FiveMinutesMs}), {token} FROM readings WHERE device = {number}
                ON CONFLICT ("Bucket") DO UPDATE SET "Token" = excluded."Token"
                """, cancellationToken);
        }
    }

    /// <summary>All of a plant's rollups, after a change of its time zone.</summary>
    public static async Task PlantAsync(HelioDbContext db, Guid plantId, CancellationToken cancellationToken)
    {
        await db.PlantRollups.Where(r => r.PlantId == plantId).ExecuteDeleteAsync(cancellationToken);
        var serials = await db.Devices.Where(d => d.PlantId == plantId && d.Kind == Devices.DeviceKind.Inverter).Select(d => d.SerialNumber).ToListAsync(cancellationToken);
        await DevicesAsync(db, serials, cancellationToken);
    }
}
