using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Recomputes one rollup row from the rows one level below (hour from its 5-minute buckets, day from its local hours,
/// month from days, year from months), for a device or a plant, and a plant's 5-minute bucket from its devices'.
/// Delete then insert, so a period whose children are gone (data erased) disappears instead of keeping stale figures.
/// Averages of power are over the children with data; energy is summed; the maximum is the children's maximum.
/// </summary>
internal static class RollupAggregation
{
    public static async Task DeviceAsync(HelioDbContext db, int device, RollupLevel level, long period, (long First, long Last) children, CancellationToken cancellationToken)
    {
        var (parent, child) = ((short)level, (short)(level - 1));
        await db.Database.ExecuteSqlAsync($"""DELETE FROM device_rollups WHERE "Device" = {device} AND "Level" = {parent} AND "Period" = {period}""", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO device_rollups ("Device", "Level", "Period", "EnergyWh", "PowerAvgW", "PowerMaxW", "Samples", "PvAvgW", "LoadAvgW", "GridAvgW", "BatteryAvgW", "SocPermille")
            SELECT {device}, {parent}, {period}, SUM("EnergyWh"), CAST(AVG("PowerAvgW") AS INTEGER), MAX("PowerMaxW"), COUNT(*),
                CAST(AVG("PvAvgW") AS INTEGER), CAST(AVG("LoadAvgW") AS INTEGER), CAST(AVG("GridAvgW") AS INTEGER), CAST(AVG("BatteryAvgW") AS INTEGER), CAST(AVG("SocPermille") AS INTEGER)
            FROM device_rollups WHERE "Device" = {device} AND "Level" = {child} AND "Period" BETWEEN {children.First} AND {children.Last}
            GROUP BY "Device"
            """, cancellationToken);
    }

    public static async Task PlantAsync(HelioDbContext db, Guid plant, RollupLevel level, long period, (long First, long Last) children, CancellationToken cancellationToken)
    {
        var (parent, child) = ((short)level, (short)(level - 1));
        await db.Database.ExecuteSqlAsync($"""DELETE FROM plant_rollups WHERE "PlantId" = {plant} AND "Level" = {parent} AND "Period" = {period}""", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO plant_rollups ("PlantId", "Level", "Period", "EnergyWh", "PowerAvgW", "PowerMaxW", "Samples", "PvAvgW", "LoadAvgW", "GridAvgW", "BatteryAvgW", "SocPermille")
            SELECT {plant}, {parent}, {period}, SUM("EnergyWh"), CAST(AVG("PowerAvgW") AS INTEGER), MAX("PowerMaxW"), COUNT(*),
                CAST(AVG("PvAvgW") AS INTEGER), CAST(AVG("LoadAvgW") AS INTEGER), CAST(AVG("GridAvgW") AS INTEGER), CAST(AVG("BatteryAvgW") AS INTEGER), CAST(AVG("SocPermille") AS INTEGER)
            FROM plant_rollups WHERE "PlantId" = {plant} AND "Level" = {child} AND "Period" BETWEEN {children.First} AND {children.Last}
            GROUP BY "PlantId"
            """, cancellationToken);
    }

    /// <summary>The plant's 5-minute bucket: the sum of its inverters' (power too: they produce side by side). Battery
    /// charge is averaged over the devices that report it.</summary>
    public static async Task PlantBucketAsync(HelioDbContext db, Guid plant, long bucket, CancellationToken cancellationToken)
    {
        const short level = (short)RollupLevel.FiveMinutes;
        const int inverter = (int)Devices.DeviceKind.Inverter;
        await db.Database.ExecuteSqlAsync($"""DELETE FROM plant_rollups WHERE "PlantId" = {plant} AND "Level" = {level} AND "Period" = {bucket}""", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO plant_rollups ("PlantId", "Level", "Period", "EnergyWh", "PowerAvgW", "PowerMaxW", "Samples", "PvAvgW", "LoadAvgW", "GridAvgW", "BatteryAvgW", "SocPermille")
            SELECT {plant}, {level}, {bucket}, SUM(r."EnergyWh"), SUM(r."PowerAvgW"), SUM(r."PowerMaxW"), SUM(r."Samples"),
                SUM(r."PvAvgW"), SUM(r."LoadAvgW"), SUM(r."GridAvgW"), SUM(r."BatteryAvgW"), CAST(AVG(r."SocPermille") AS INTEGER)
            FROM device_rollups r
            JOIN telemetry_devices t ON t."Number" = r."Device"
            JOIN devices d ON d."SerialNumber" = t."Serial" AND d."Kind" = {inverter}
            WHERE d."PlantId" = {plant} AND r."Level" = {level} AND r."Period" = {bucket}
            GROUP BY r."Level"
            """, cancellationToken);
    }
}
