using System.Diagnostics;
using Helio.Server.Features.Telemetry;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Helio.Benchmarks.Telemetry;

/// <summary>The fastest plain way to write the same rows into the same table, per database (the issue's baselines).</summary>
internal static class IngestBaselines
{
    /// <summary>
    /// SQLite: one connection (the server's connection string), the store's statement — <c>INSERT OR IGNORE</c> of all
    /// columns into <c>readings</c> — prepared once, bound in place, executed in a bare loop, one transaction per batch.
    /// </summary>
    public static TimeSpan Sqlite(string connectionString, StoredRows rows, int batchSize)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var insert = connection.CreateCommand();
        var columns = ReadingRows.ColumnList.Split(", ");
        insert.CommandText = $"INSERT OR IGNORE INTO {ReadingRows.Table} ({ReadingRows.ColumnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var p = columns.Select((_, i) => insert.Parameters.Add("$p" + i, i == 4 ? SqliteType.Text : SqliteType.Integer)).ToArray();
        insert.Prepare();
        p[4].Value = DBNull.Value; // no faults in these readings

        var clock = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            var end = Math.Min(rows.Count, start + batchSize);
            for (var i = start; i < end; i++)
            {
                p[0].Value = rows.Device[i];
                p[1].Value = rows.At[i];
                p[2].Value = (int)rows.State[i];
                p[3].Value = rows.RawState[i];
                for (var m = 0; m < StoredRows.Columns; m++)
                {
                    p[ReadingRows.FixedColumns + m].Value = rows.Has(i, m) ? rows.Value(i, m) : DBNull.Value;
                }
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// PostgreSQL: binary COPY of each batch straight into the partitioned <c>readings</c> table (no staging, no
    /// duplicate check), one COPY (its own transaction) per batch, values written with their column types.
    /// </summary>
    public static async Task<TimeSpan> PostgresAsync(string connectionString, StoredRows rows, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            var end = Math.Min(rows.Count, start + batchSize);
            await using var copy = await connection.BeginBinaryImportAsync($"COPY {ReadingRows.Table} ({ReadingRows.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            for (var i = start; i < end; i++)
            {
                copy.StartRow();
                copy.Write(rows.Device[i], NpgsqlDbType.Integer);
                copy.Write(rows.At[i], NpgsqlDbType.Bigint);
                copy.Write(rows.State[i], NpgsqlDbType.Smallint);
                copy.Write(rows.RawState[i], NpgsqlDbType.Integer);
                copy.WriteNull();
                for (var m = 0; m < StoredRows.Columns; m++)
                {
                    if (!rows.Has(i, m))
                    {
                        copy.WriteNull();
                    }
                    else if (MetricColumns.Wide[m])
                    {
                        copy.Write(rows.Value(i, m), NpgsqlDbType.Bigint);
                    }
                    else
                    {
                        copy.Write((int)rows.Value(i, m), NpgsqlDbType.Integer);
                    }
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        return clock.Elapsed;
    }
}
