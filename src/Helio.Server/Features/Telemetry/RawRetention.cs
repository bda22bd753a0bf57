using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Deletes raw readings older than <see cref="TelemetryOptions.RawRetentionDays"/>; rollups stay. On SQLite, bounded
/// and resumable: at most <see cref="ChunkSize"/> rows per transaction (oldest first, a range of the (at, device)
/// key), so the writer is never held up for long, and each chunk commits on its own, so the next run starts from
/// whatever is left. On PostgreSQL a month is dropped as a whole partition once all of it is past the cutoff:
/// instant, no dead rows, no vacuum debt; raw data is kept up to one month beyond the retention.
/// </summary>
internal sealed class RawRetention(DatabaseTarget target)
{
    public const int ChunkSize = 10_000;

    /// <summary>Deletes up to <paramref name="maxChunks"/> chunks; returns the rows (or, for dropped partitions, months) removed.</summary>
    public async Task<long> PurgeAsync(HelioDbContext db, DateTimeOffset cutoff, int maxChunks, CancellationToken cancellationToken)
    {
        var cutoffMs = cutoff.ToUnixTimeMilliseconds();
        if (target.Provider == DatabaseProvider.Postgres)
        {
            return await DropOldPartitionsAsync(db, cutoffMs, cancellationToken);
        }
        long removed = 0;
        for (var chunk = 0; chunk < maxChunks; chunk++)
        {
            // The oldest readings first: a short range scan at the start of the (at, device) key, not a sort.
            var deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM readings WHERE (device, at) IN (
                    SELECT device, at FROM readings WHERE at < {cutoffMs} ORDER BY at LIMIT {ChunkSize})
                """, cancellationToken);
            removed += deleted;
            if (deleted < ChunkSize)
            {
                break;
            }
        }
        return removed;
    }

    private static async Task<int> DropOldPartitionsAsync(HelioDbContext db, long cutoffMs, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Partitions whose upper bound is at or before the cutoff, from the catalogue's own record of the bounds.
            var old = new List<string>();
            await using (var list = new NpgsqlCommand("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                WHERE p.relname = 'readings'
                  AND (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?\d+)''?\)'))[1]::bigint <= @cutoff
                """, connection))
            {
                list.Parameters.AddWithValue("cutoff", cutoffMs);
                await using var reader = await list.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    old.Add(reader.GetString(0));
                }
            }
            foreach (var name in old)
            {
                // Names come from the catalogue and match ReadingPartitions.Name; quoted all the same.
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }
            return old.Count;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
