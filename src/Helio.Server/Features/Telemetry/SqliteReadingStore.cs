using Helio.Protocols.RegisterMaps;
using Microsoft.Data.Sqlite;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// SQLite's write path (ADR 0013): one connection of its own, prepared statements bound in place, one IMMEDIATE
/// transaction per batch, <c>INSERT OR IGNORE</c> so a reading already stored is recognised by the key (device, at)
/// and reported as a duplicate by the row count.
/// </summary>
internal sealed class SqliteReadingStore(string connectionString, DeviceNumbers numbers) : IReadingStore
{
    private SqliteConnection? connection;
    private SqliteCommand? insert;
    private SqliteParameter[] insertParameters = [];
    private SqliteCommand? device;
    private SqliteCommand? dirty;

    public async Task WriteAsync(IReadOnlyList<TelemetryReading> batch, bool[] stored, CancellationToken cancellationToken)
    {
        var db = await OpenAsync(cancellationToken);
        var numbered = new List<string>();
        try
        {
            using var transaction = db.BeginTransaction(deferred: false);
            insert!.Transaction = device!.Transaction = dirty!.Transaction = transaction;
            var buckets = new HashSet<long>();
            for (var i = 0; i < batch.Count; i++)
            {
                var reading = batch[i];
                Bind(DeviceNumber(reading.InverterSerial, reading.LoggerSerial, numbered), reading);
                stored[i] = insert.ExecuteNonQuery() == 1;
                if (stored[i])
                {
                    buckets.Add(LocalPeriods.FiveMinuteBucket(reading.AtMs));
                }
            }
            var token = Random.Shared.NextInt64();
            foreach (var bucket in buckets)
            {
                dirty.Parameters[0].Value = bucket;
                dirty.Parameters[1].Value = token;
                dirty.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        catch
        {
            // Numbers given in a transaction that did not commit do not exist: AUTOINCREMENT may give them again.
            numbers.Forget(numbered);
            // The connection may be in any state (disk full, file replaced): start afresh on the next batch.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The device's number; numbered now (in this transaction) on its first reading.</summary>
    private int DeviceNumber(string serial, string? logger, List<string> numbered)
    {
        if (numbers.TryGet(serial, out var number, out var knownLogger) && (logger is null || logger == knownLogger))
        {
            return number;
        }
        device!.Parameters[0].Value = serial;
        device.Parameters[1].Value = (object?)logger ?? DBNull.Value;
        using var reader = device.ExecuteReader();
        reader.Read();
        number = reader.GetInt32(0);
        numbers.Remember(serial, number, reader.IsDBNull(1) ? null : reader.GetString(1));
        numbered.Add(serial);
        return number;
    }

    private void Bind(int number, in TelemetryReading reading)
    {
        var p = insertParameters;
        p[0].Value = number;
        p[1].Value = reading.AtMs;
        p[2].Value = (int)reading.Reading.State;
        p[3].Value = (int)reading.Reading.RawState;
        p[4].Value = (object?)ReadingRows.Faults(reading.Reading.Faults) ?? DBNull.Value;
        for (var m = 0; m < Metrics.Count; m++)
        {
            var metric = (Metric)m;
            p[ReadingRows.FixedColumns + m].Value = MetricColumns.TryGetStored(reading.Reading, metric, out var stored) ? stored : DBNull.Value;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return connection;
        }
        var db = new SqliteConnection(connectionString);
        await db.OpenAsync(cancellationToken);

        insert = db.CreateCommand();
        var columns = ReadingRows.ColumnList.Split(", ");
        insert.CommandText = $"INSERT OR IGNORE INTO {ReadingRows.Table} ({ReadingRows.ColumnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        insertParameters = columns.Select((_, i) => insert.Parameters.Add("$p" + i, SqliteType.Integer)).ToArray();
        insertParameters[4].SqliteType = SqliteType.Text;
        insert.Prepare();

        // The update only when the logger changed (the cache says so); RETURNING gives the number either way.
        device = db.CreateCommand();
        device.CommandText = """
            INSERT INTO telemetry_devices ("Serial", "LoggerSerial") VALUES ($serial, $logger)
            ON CONFLICT ("Serial") DO UPDATE SET "LoggerSerial" = coalesce(excluded."LoggerSerial", "LoggerSerial")
            RETURNING "Number", "LoggerSerial"
            """;
        device.Parameters.Add("$serial", SqliteType.Text);
        device.Parameters.Add("$logger", SqliteType.Text);
        device.Prepare();

        dirty = db.CreateCommand();
        dirty.CommandText = """INSERT INTO rollup_dirty ("Bucket", "Token") VALUES ($bucket, $token) ON CONFLICT ("Bucket") DO UPDATE SET "Token" = excluded."Token" """;
        dirty.Parameters.Add("$bucket", SqliteType.Integer);
        dirty.Parameters.Add("$token", SqliteType.Integer);
        dirty.Prepare();

        connection = db;
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        insert?.Dispose();
        device?.Dispose();
        dirty?.Dispose();
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
        (insert, device, dirty, connection) = (null, null, null, null);
    }
}
