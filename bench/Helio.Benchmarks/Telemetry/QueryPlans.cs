using System.Diagnostics;
using System.Globalization;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-queries --explain</c>: the plans and times of the overview's two statements as EF sends them (the
/// shape, with the columns trimmed) beside the shapes docs/BENCHMARKS.md recommends, on the generated fleet, for one
/// plant and for all of them. SQLite through Microsoft.Data.Sqlite (the server's SQLite build), PostgreSQL through
/// EXPLAIN ANALYZE.
/// </summary>
internal static class QueryPlans
{
    public static async Task RunAsync(DatabaseProvider provider, string connectionString, TextWriter output)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        await using var db = sqlite ? (System.Data.Common.DbConnection)new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var ids = new List<string>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT \"Id\" FROM plants ORDER BY \"Name\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetValue(0).ToString()!);
            }
        }
        string In(IEnumerable<string> plants) => sqlite
            ? "IN (" + string.Join(", ", plants.Select(p => $"'{p}'")) + ")"
            : "= ANY (ARRAY[" + string.Join(", ", plants.Select(p => $"'{p}'")) + "]::uuid[])";
        var (day, month) = (20261130, 202611);

        foreach (var (scope, plants) in new[] { ("one plant", ids.Take(1).ToList()), ($"{ids.Count} plants", ids) })
        {
            var statements = new (string Name, string Sql)[]
            {
                ("latest reading per inverter, as EF sends it (ROW_NUMBER over all readings)", $"""
                    SELECT d."PlantId", r2.device, r2.at, r2.active_power_w FROM devices d JOIN telemetry_devices t ON d."SerialNumber" = t."Serial"
                    LEFT JOIN (SELECT r1.device, r1.at, r1.active_power_w FROM (SELECT r0.device, r0.at, r0.active_power_w,
                        ROW_NUMBER() OVER (PARTITION BY r0.device ORDER BY r0.at DESC) AS row FROM readings r0) r1 WHERE r1.row <= 1) r2 ON t."Number" = r2.device
                    WHERE d."PlantId" {In(plants)} AND d."Kind" = 1 AND EXISTS (SELECT 1 FROM readings r WHERE r.device = t."Number")
                    """),
                ("latest reading per inverter, MAX(at) subquery + key join (recommended)", $"""
                    SELECT d."PlantId", r.device, r.at, r.active_power_w FROM devices d JOIN telemetry_devices t ON d."SerialNumber" = t."Serial"
                    JOIN readings r ON r.device = t."Number" AND r.at = (SELECT MAX(r0.at) FROM readings r0 WHERE r0.device = t."Number")
                    WHERE d."PlantId" {In(plants)} AND d."Kind" = 1
                    """),
                ("day/month/year energies, as EF sends it (OR of levels)", $"""
                    SELECT "PlantId", "Level", "Period", "EnergyWh" FROM plant_rollups
                    WHERE "PlantId" {In(plants)} AND ("Level" = 4 OR ("Level" = 3 AND "Period" = {month}) OR ("Level" = 2 AND "Period" = {day}))
                    """),
                ("day/month/year energies, one key range per level (recommended)", $"""
                    SELECT "PlantId", "Level", "Period", "EnergyWh" FROM plant_rollups WHERE "PlantId" {In(plants)} AND "Level" = 4
                    UNION ALL SELECT "PlantId", "Level", "Period", "EnergyWh" FROM plant_rollups WHERE "PlantId" {In(plants)} AND "Level" = 3 AND "Period" = {month}
                    UNION ALL SELECT "PlantId", "Level", "Period", "EnergyWh" FROM plant_rollups WHERE "PlantId" {In(plants)} AND "Level" = 2 AND "Period" = {day}
                    """),
            };
            foreach (var (name, sql) in statements)
            {
                output.WriteLine($"== {name}, {scope}");
                if (sqlite)
                {
                    await using var explain = db.CreateCommand();
                    explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
                    await using var plan = await explain.ExecuteReaderAsync();
                    while (await plan.ReadAsync())
                    {
                        output.WriteLine("   " + plan.GetString(3));
                    }
                }
                else
                {
                    await using var explain = db.CreateCommand();
                    explain.CommandText = "EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) " + sql;
                    await using var plan = await explain.ExecuteReaderAsync();
                    while (await plan.ReadAsync())
                    {
                        output.WriteLine("   " + plan.GetString(0));
                    }
                }
                // Best of 3, every row read.
                var best = double.MaxValue;
                var rows = 0;
                for (var i = 0; i < 3; i++)
                {
                    await using var run = db.CreateCommand();
                    run.CommandText = sql;
                    run.CommandTimeout = 600;
                    var watch = Stopwatch.StartNew();
                    await using var reader = await run.ExecuteReaderAsync();
                    rows = 0;
                    while (await reader.ReadAsync())
                    {
                        rows++;
                    }
                    best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   -> {rows} rows, best of 3: {best:F1} ms"));
            }
        }
    }
}
