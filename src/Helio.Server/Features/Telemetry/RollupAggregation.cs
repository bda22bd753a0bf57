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
    public static Task DeviceAsync(HelioDbContext db, int device, RollupLevel level, long period, (long First, long Last) children, CancellationToken cancellationToken) =>
        AggregateAsync(db, DeviceStatements, device, level, period, children, cancellationToken);

    public static Task PlantAsync(HelioDbContext db, Guid plant, RollupLevel level, long period, (long First, long Last) children, CancellationToken cancellationToken) =>
        AggregateAsync(db, PlantStatements, plant, level, period, children, cancellationToken);

    private static readonly (string Delete, string Insert) DeviceStatements = Statements("device_rollups", "Device");
    private static readonly (string Delete, string Insert) PlantStatements = Statements("plant_rollups", "PlantId");

    /// <summary>The same two statements for either table; only the key column differs. Parameters: {0} key,
    /// {1} level, {2} period, {3} child level, {4}–{5} the children's key range.</summary>
    private static (string Delete, string Insert) Statements(string table, string key) => (
        $$"""DELETE FROM {{table}} WHERE "{{key}}" = {0} AND "Level" = {1} AND "Period" = {2}""",
        $$"""
        INSERT INTO {{table}} ("{{key}}", "Level", "Period", "EnergyWh", "PowerAvgW", "PowerMaxW", "Samples", "PvAvgW", "LoadAvgW", "GridAvgW", "BatteryAvgW", "SocPermille")
        SELECT {0}, {1}, {2}, SUM("EnergyWh"), CAST(AVG("PowerAvgW") AS INTEGER), MAX("PowerMaxW"), COUNT(*),
            CAST(AVG("PvAvgW") AS INTEGER), CAST(AVG("LoadAvgW") AS INTEGER), CAST(AVG("GridAvgW") AS INTEGER), CAST(AVG("BatteryAvgW") AS INTEGER), CAST(AVG("SocPermille") AS INTEGER)
        FROM {{table}} WHERE "{{key}}" = {0} AND "Level" = {3} AND "Period" BETWEEN {4} AND {5}
        GROUP BY "{{key}}"
        """);

    private static async Task AggregateAsync(HelioDbContext db, (string Delete, string Insert) statements, object key, RollupLevel level, long period,
        (long First, long Last) children, CancellationToken cancellationToken)
    {
        // Table and column names are constants above; every value is a parameter.
        object[] values = [key, (short)level, period, (short)(level - 1), children.First, children.Last];
        await db.Database.ExecuteSqlRawAsync(statements.Delete, values.Take(3), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(statements.Insert, values, cancellationToken);
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
