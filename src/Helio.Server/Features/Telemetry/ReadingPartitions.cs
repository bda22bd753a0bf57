using System.Collections.Concurrent;
using Npgsql;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// PostgreSQL keeps <c>readings</c> in one partition per UTC month (declarative range partitioning on <c>at</c>), so
/// retention drops whole months and a time range reads only its months. Partitions are created ahead by
/// <see cref="TelemetryMaintenance"/> (this month and the next two) and, for late or back-filled data, by the
/// writer before a batch that needs one. Creation takes a transaction-scoped advisory lock, so two nodes creating
/// the same month wait for each other instead of failing.
/// </summary>
internal sealed class ReadingPartitions
{
    /// <summary>An arbitrary constant: the advisory lock's identity among the database's advisory locks.</summary>
    private const long LockKey = 0x48656c696f5031; // "HelioP1"

    private readonly ConcurrentDictionary<(int Year, int Month), bool> known = new();

    public async Task EnsureAsync(NpgsqlConnection db, IReadOnlyList<TelemetryReading> batch, CancellationToken cancellationToken)
    {
        List<(int, int)>? needed = null;
        foreach (var reading in batch)
        {
            var month = MonthOf(reading.AtMs);
            if (!known.ContainsKey(month) && !(needed ??= []).Contains(month))
            {
                needed.Add(month);
            }
        }
        if (needed is not null)
        {
            await CreateAsync(db, needed, cancellationToken);
        }
    }

    public async Task CreateAsync(NpgsqlConnection db, IEnumerable<(int Year, int Month)> months, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", db, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (year, month) in months)
        {
            var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            await using var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS {Name(year, month)} PARTITION OF {ReadingRows.Table} " +
                $"FOR VALUES FROM ({start.ToUnixTimeMilliseconds()}) TO ({start.AddMonths(1).ToUnixTimeMilliseconds()})", db, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var month in months)
        {
            known[month] = true;
        }
    }

    /// <summary>Forgets which months exist: after a failed batch, because retention may have dropped one (data older
    /// than the retention arriving late), and the next attempt must create it again rather than fail forever.</summary>
    public void Forget() => known.Clear();

    public static string Name(int year, int month) => $"{ReadingRows.Table}_{year:D4}_{month:D2}";

    public static (int Year, int Month) MonthOf(long atMs)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(atMs);
        return (at.Year, at.Month);
    }
}
