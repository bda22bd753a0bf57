using System.Diagnostics;
using System.Globalization;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-size</c>: SQLite bytes per device-year of 5-minute data. A fresh migrated database; plants of one
/// inverter each (so every device carries a plant's rollups too: the upper bound); a full year of readings per device
/// written through the real store; the real RollupWorker rolling up one month of it (rolling up a whole year takes
/// the worker ~10× longer than this machine's budget for a benchmark); then VACUUM, and each object's bytes are the pages that dropping it frees (this SQLite build has no dbstat). Raw bytes are
/// measured for the whole year; rollup bytes per row are measured on the month and multiplied by the rows a
/// device-year has at each level (105,120 five-minute, 8,760 hours, 365 days, 12 months, 1 year).
/// </summary>
internal static class SizeBenchmark
{
    private static readonly (RollupLevel Level, int Rows)[] RowsPerYear =
        [(RollupLevel.FiveMinutes, 105_120), (RollupLevel.Hour, 8_760), (RollupLevel.Day, 365), (RollupLevel.Month, 12), (RollupLevel.Year, 1)];

    public static async Task RunAsync(Options options, TextWriter output)
    {
        var devices = options.Int("devices", 20);
        var year = options.Int("year", 2026);
        var rollupMonth = options.Int("rollup-month", 3);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var ct = CancellationToken.None;
        output.WriteLine($"telemetry-size: {devices} devices (one per plant) x 1 year ({year}) of 5-minute readings; rollups of month {rollupMonth}; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");

        var root = Directory.CreateTempSubdirectory("helio-bench-size-").FullName;
        try
        {
            var connectionString = BenchHost.SqliteConnectionString(root);
            var host = BenchHost.Create(DatabaseProvider.Sqlite, connectionString);
            await host.MigrateAsync(ct);

            var sites = FleetReadings.GermanSites(devices);
            var fleet = new FleetReadings(sites, withLoggers: true);
            await using (var scope = host.Scope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
                var owner = await FleetSetup.CreateOwnerAsync(db, ct);
                await FleetSetup.CreatePlantsAsync(db, owner, sites.Select((s, i) => (Guid.NewGuid(), $"Plant {i:D4}", s, new[] { fleet.Serials[i] })), ct);
            }

            // A year of readings, in arrival order, through the real store in the writer's 2,000-reading batches.
            var (start, _) = LocalPeriods.DayRange(new DateOnly(year, 1, 1), zone);
            var (end, _) = LocalPeriods.DayRange(new DateOnly(year + 1, 1, 1), zone);
            var store = host.Get<IReadingStore>();
            var batch = new List<TelemetryReading>(2000);
            long readings = 0, values = 0;
            var clock = Stopwatch.StartNew();
            for (var at = start; at < end; at += FleetReadings.FiveMinutesMs)
            {
                for (var d = 0; d < devices; d++)
                {
                    var reading = fleet.Next(d, at);
                    values += FleetReadings.Filled.Length;
                    batch.Add(reading);
                    if (batch.Count == 2000)
                    {
                        await store.WriteAsync(batch, new bool[batch.Count], ct);
                        readings += batch.Count;
                        batch.Clear();
                    }
                }
            }
            if (batch.Count > 0)
            {
                await store.WriteAsync(batch, new bool[batch.Count], ct);
                readings += batch.Count;
            }
            await store.DisposeAsync();
            output.WriteLine($"stored {readings:N0} readings ({values:N0} values) through SqliteReadingStore in {clock.Elapsed.TotalSeconds:F0} s (generation included)");

            // Roll up one month with the real worker: marks outside it are dropped first.
            var (monthStart, _) = LocalPeriods.DayRange(new DateOnly(year, rollupMonth, 1), zone);
            var (monthEnd, _) = LocalPeriods.DayRange(new DateOnly(year, rollupMonth, 1).AddMonths(1), zone);
            await using (var scope = host.Scope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
                await db.RollupDirty.Where(d => d.Bucket < monthStart || d.Bucket >= monthEnd).ExecuteDeleteAsync(ct);
            }
            var worker = host.Get<RollupWorker>();
            clock.Restart();
            var buckets = 0;
            for (int done; (done = await worker.RunOnceAsync(ct)) > 0;)
            {
                buckets += done;
            }
            var rollupSeconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"RollupWorker rolled up {buckets:N0} five-minute buckets x {devices} devices in {rollupSeconds:F0} s ({buckets * devices / rollupSeconds:N0} device-buckets/s)");

            // The server's open connections (SqliteConnections) go with its host.
            await host.DisposeAsync();
            SqliteConnection.ClearAllPools();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            var rows = async (string sql) =>
            {
                await using var command = new SqliteCommand(sql, connection);
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            };
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in new[] { "readings", "device_rollups", "plant_rollups" })
            {
                counts[table] = await rows($"SELECT count(*) FROM {table}");
            }

            // This SQLite build has no dbstat, so each object's bytes are the pages it frees: VACUUM, drop it, VACUUM.
            await Execute(connection, "PRAGMA journal_mode=DELETE; VACUUM;");
            var fileBytes = await rows("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            var before = fileBytes;
            foreach (var (name, drop) in new[]
            {
                ("IX_readings_device_at", "DROP INDEX IX_readings_device_at"),
                ("readings", "DROP TABLE readings"),
                ("device_rollups", "DROP TABLE device_rollups"),
                ("plant_rollups", "DROP TABLE plant_rollups"),
            })
            {
                await Execute(connection, drop + "; VACUUM;");
                var after = await rows("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
                sizes[name] = before - after;
                before = after;
            }
            sizes["everything else"] = before;

            var readingRows = counts["readings"];
            var rawBytes = sizes.GetValueOrDefault("readings") + sizes.GetValueOrDefault("IX_readings_device_at");
            output.WriteLine();
            output.WriteLine("| part | rows measured | bytes measured | bytes per row | rows per device-year | MB per device-year |");
            output.WriteLine("|---|---|---|---|---|---|");
            var total = 0.0;
            var rawPerDevice = rawBytes / (double)devices;
            total += rawPerDevice;
            output.WriteLine(Row("raw readings (table + (device, at) index), whole year", readingRows, rawBytes, readingRows / devices, rawPerDevice));
            output.WriteLine(Row("  of which the table", readingRows, sizes.GetValueOrDefault("readings"), readingRows / devices, sizes.GetValueOrDefault("readings") / (double)devices));
            output.WriteLine(Row("  of which the (device, at) index", readingRows, sizes.GetValueOrDefault("IX_readings_device_at"), readingRows / devices, sizes.GetValueOrDefault("IX_readings_device_at") / (double)devices));
            foreach (var (table, what) in new[] { ("device_rollups", "device rollups"), ("plant_rollups", "plant rollups (one plant per device)") })
            {
                var tableRows = counts[table];
                var bytesPerRow = sizes.GetValueOrDefault(table) / (double)tableRows;
                var perYear = RowsPerYear.Sum(l => l.Rows);
                output.WriteLine(Row($"{what}, month {rollupMonth}, all five levels", tableRows, sizes.GetValueOrDefault(table), perYear, bytesPerRow * perYear));
                total += bytesPerRow * perYear;
            }
            output.WriteLine($"| **total per device-year** | | | | | **{total / 1e6:F1}** |");
            output.WriteLine();
            output.WriteLine($"file after VACUUM: {fileBytes / 1e6:F1} MB (a year of raw readings, a month of rollups)");
            output.WriteLine("bytes per object (freed when dropped, after VACUUM): " + string.Join(", ", sizes.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value / 1e6:F2} MB")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Row(string part, long rows, long bytes, long rowsPerYear, double bytesPerYear) =>
        string.Create(CultureInfo.InvariantCulture, $"| {part} | {rows:N0} | {bytes:N0} | {bytes / (double)rows:F1} | {rowsPerYear:N0} | {bytesPerYear / 1e6:F2} |");

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
