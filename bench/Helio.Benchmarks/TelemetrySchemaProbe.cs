using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Helio.Benchmarks;

/// <summary>
/// Compares SQLite layouts for the Telemetry issue's wide rows (ADR 0012) before the store is built: the same
/// readings — 1,000 devices, 300 five-minute instants, 30 of 38 metric columns filled with scaled integers — written
/// in time order (every device's reading for one instant, then the next), 500 rows per transaction, by a prepared
/// statement; reported as rows/s, values/s and bytes per row (and so per device-year of 5-minute data).
/// Values are random in 0…60,000, which stores larger than real readings: the byte figures are an upper bound.
/// </summary>
internal static class TelemetrySchemaProbe
{
    private const int Metrics = 38;
    private const int Filled = 30;
    private const int Devices = 1000;
    private const int Instants = 300;
    private const int Batch = 500;
    private const int RowsPerDeviceYear = 105_120;

    private static readonly (string Name, string Ddl)[] Layouts =
    [
        ("key (device, at), WITHOUT ROWID", "CREATE TABLE r (device INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER, faults INTEGER, {0}, PRIMARY KEY (device, at)) WITHOUT ROWID"),
        ("rowid table + unique index (device, at)", "CREATE TABLE r (device INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER, faults INTEGER, {0}); CREATE UNIQUE INDEX r_key ON r (device, at)"),
        ("key (at, device), WITHOUT ROWID + index (device, at)", "CREATE TABLE r (device INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER, faults INTEGER, {0}, PRIMARY KEY (at, device)) WITHOUT ROWID; CREATE INDEX r_device ON r (device, at)"),
        ("key (at, device), WITHOUT ROWID, no other index", "CREATE TABLE r (device INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER, faults INTEGER, {0}, PRIMARY KEY (at, device)) WITHOUT ROWID"),
    ];

    public static void Run(TextWriter output)
    {
        output.WriteLine($"{Devices:N0} devices x {Instants} instants, {Filled} values a row, {Batch} rows a transaction, prepared INSERT OR IGNORE");
        foreach (var (name, ddl) in Layouts)
        {
            var (rowsPerSecond, bytesPerRow) = Measure(ddl);
            output.WriteLine($"{name,-55} {rowsPerSecond,9:N0} rows/s {rowsPerSecond * Filled,11:N0} values/s {bytesPerRow,6:F1} B/row {bytesPerRow * RowsPerDeviceYear / 1e6,5:F1} MB/device-year");
        }
    }

    private static (double RowsPerSecond, double BytesPerRow) Measure(string ddl)
    {
        var path = Path.Combine(Path.GetTempPath(), $"helio-telemetry-probe-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            var columns = string.Join(", ", Enumerable.Range(0, Metrics).Select(i => $"m{i} INTEGER"));
            Execute(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, ddl, columns));

            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT OR IGNORE INTO r (device, at, state, faults, {string.Join(", ", Enumerable.Range(0, Metrics).Select(i => $"m{i}"))}) " +
                $"VALUES ($device, $at, 3, 0, {string.Join(", ", Enumerable.Range(0, Metrics).Select(i => $"$m{i}"))})";
            var device = insert.Parameters.Add("$device", SqliteType.Integer);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            var values = Enumerable.Range(0, Metrics).Select(i => insert.Parameters.Add($"$m{i}", SqliteType.Integer)).ToArray();
            insert.Prepare();

            var random = new Random(1);
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var clock = Stopwatch.StartNew();
            var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            var rows = 0;
            for (var instant = 0; instant < Instants; instant++)
            {
                for (var d = 0; d < Devices; d++)
                {
                    device.Value = d;
                    at.Value = start + instant * 300_000L;
                    for (var i = 0; i < Metrics; i++)
                    {
                        values[i].Value = i < Filled ? random.Next(0, 60_000) : DBNull.Value;
                    }
                    insert.ExecuteNonQuery();
                    if (++rows % Batch == 0)
                    {
                        transaction.Commit();
                        transaction.Dispose();
                        transaction = connection.BeginTransaction();
                        insert.Transaction = transaction;
                    }
                }
            }
            transaction.Commit();
            transaction.Dispose();
            clock.Stop();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            return (rows / clock.Elapsed.TotalSeconds, new FileInfo(path).Length / (double)rows);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
