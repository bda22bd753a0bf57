using Helio.Protocols.RegisterMaps;
using Npgsql;
using NpgsqlTypes;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// PostgreSQL's write path (ADR 0013): the batch goes by binary COPY into a temporary table, then
/// <c>INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING</c> moves it into the partitioned <c>readings</c> table in
/// the same transaction, which tells which rows were new. COPY cannot skip duplicates itself, hence the staging
/// table. One connection of its own, because the staging table lives in its session.
/// </summary>
internal sealed class PostgresReadingStore(string connectionString, DeviceNumbers numbers, ReadingPartitions partitions) : IReadingStore
{
    private NpgsqlConnection? connection;

    public async Task WriteAsync(IReadOnlyList<TelemetryReading> batch, bool[] stored, CancellationToken cancellationToken)
    {
        var db = await OpenAsync(cancellationToken);
        var numbered = new List<string>();
        try
        {
            await partitions.EnsureAsync(db, batch, cancellationToken);
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var deviceNumbers = await NumberAsync(db, batch, numbered, cancellationToken);
            await CopyAsync(db, batch, deviceNumbers, cancellationToken);

            var index = new Dictionary<(int, long), int>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                stored[i] = false;
                index.TryAdd((deviceNumbers[i], batch[i].AtMs), i);
            }
            var buckets = new HashSet<long>();
            await using (var move = new NpgsqlCommand(
                $"INSERT INTO {ReadingRows.Table} ({ReadingRows.ColumnList}) SELECT DISTINCT ON (device, at) {ReadingRows.ColumnList} FROM readings_incoming " +
                "ON CONFLICT DO NOTHING RETURNING device, at", db, transaction))
            await using (var reader = await move.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var at = reader.GetInt64(1);
                    stored[index[(reader.GetInt32(0), at)]] = true;
                    buckets.Add(LocalPeriods.FiveMinuteBucket(at));
                }
            }
            if (buckets.Count > 0)
            {
                await using var dirty = new NpgsqlCommand(
                    """INSERT INTO rollup_dirty ("Bucket", "Token") SELECT unnest(@buckets), @token ON CONFLICT ("Bucket") DO UPDATE SET "Token" = excluded."Token" """,
                    db, transaction);
                dirty.Parameters.AddWithValue("buckets", buckets.ToArray());
                dirty.Parameters.AddWithValue("token", Random.Shared.NextInt64());
                await dirty.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            numbers.Forget(numbered);
            partitions.Forget();
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Numbers per reading: from the cache, else all unknown serials of the batch numbered in one statement.</summary>
    private async Task<int[]> NumberAsync(NpgsqlConnection db, IReadOnlyList<TelemetryReading> batch, List<string> numbered, CancellationToken cancellationToken)
    {
        var missing = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var reading in batch)
        {
            if (!numbers.TryGet(reading.InverterSerial, out _, out var logger) || (reading.LoggerSerial is not null && reading.LoggerSerial != logger))
            {
                missing[reading.InverterSerial] = reading.LoggerSerial ?? (missing.TryGetValue(reading.InverterSerial, out var earlier) ? earlier : null);
            }
        }
        if (missing.Count > 0)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO telemetry_devices ("Serial", "LoggerSerial") SELECT * FROM unnest(@serials, @loggers)
                ON CONFLICT ("Serial") DO UPDATE SET "LoggerSerial" = coalesce(excluded."LoggerSerial", telemetry_devices."LoggerSerial")
                RETURNING "Number", "Serial", "LoggerSerial"
                """, db);
            command.Parameters.AddWithValue("serials", missing.Keys.ToArray());
            command.Parameters.Add(new NpgsqlParameter("loggers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = missing.Values.Select(l => (object?)l ?? DBNull.Value).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var serial = reader.GetString(1);
                numbers.Remember(serial, reader.GetInt32(0), reader.IsDBNull(2) ? null : reader.GetString(2));
                numbered.Add(serial);
            }
        }
        var result = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            numbers.TryGet(batch[i].InverterSerial, out result[i], out _);
        }
        return result;
    }

    private static async Task CopyAsync(NpgsqlConnection db, IReadOnlyList<TelemetryReading> batch, int[] deviceNumbers, CancellationToken cancellationToken)
    {
        await using var copy = await db.BeginBinaryImportAsync($"COPY readings_incoming ({ReadingRows.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // The synchronous writes: they fill Npgsql's buffer and only touch the socket when it is full, where each
        // WriteAsync is a Task of its own — 44 a row. This runs on the writer's own loop, so a short blocking send to
        // the database holds up nothing else.
        for (var i = 0; i < batch.Count; i++)
        {
            var reading = batch[i].Reading;
            copy.StartRow();
            copy.Write(deviceNumbers[i], NpgsqlDbType.Integer);
            copy.Write(batch[i].AtMs, NpgsqlDbType.Bigint);
            copy.Write((short)reading.State, NpgsqlDbType.Smallint);
            copy.Write((int)reading.RawState, NpgsqlDbType.Integer);
            if (ReadingRows.Faults(reading.Faults) is { } faults)
            {
                copy.Write(faults, NpgsqlDbType.Text);
            }
            else
            {
                copy.WriteNull();
            }
            for (var m = 0; m < Metrics.Count; m++)
            {
                var metric = (Metric)m;
                if (!MetricColumns.TryGetStored(reading, metric, out var stored))
                {
                    copy.WriteNull();
                }
                else if (MetricColumns.Wide[m])
                {
                    copy.Write(stored, NpgsqlDbType.Bigint);
                }
                else
                {
                    copy.Write((int)stored, NpgsqlDbType.Integer);
                }
            }
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return connection;
        }
        var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync(cancellationToken);
        // Session-local and emptied by every commit or rollback: temporary tables skip the WAL, so staging costs
        // memory and CPU, not a second write to disk.
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS readings_incoming (LIKE {ReadingRows.Table}) ON COMMIT DELETE ROWS", db))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        connection = db;
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }
}
