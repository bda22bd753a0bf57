using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Stores readings once per (inverter, instant): a reading sent twice (a collector retrying, two ingest paths) is a
/// duplicate, not a second row. Both the gateway's writer and the ingest APIs store through here.
/// </summary>
internal static class ReadingInserts
{
    /// <summary>
    /// Readings are keyed to the millisecond: PostgreSQL keeps microseconds and SQLite ticks, so a finer instant
    /// would compare differently on each and the unique key would not recognise its own rows.
    /// </summary>
    public static DateTimeOffset Instant(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>
    /// Inserts the rows not yet stored, in one transaction, and returns those that were (including repeats within
    /// the batch). A concurrent insert of the same key makes the unique index refuse the batch; it is then read
    /// again and retried.
    /// </summary>
    public static async Task<IReadOnlyList<GatewayReading>> InsertNewAsync(HelioDbContext db, IReadOnlyList<GatewayReading> rows, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            // Exactly the batch's serials and instants (not a time range, which a batch spanning a year would make
            // into a year of rows): a superset of the batch's keys, at most serials × instants, found by the index.
            var serials = rows.Select(r => r.InverterSerial).Distinct().ToList();
            var instants = rows.Select(r => r.At).Distinct().ToList();
            var stored = await db.GatewayReadings
                .Where(r => serials.Contains(r.InverterSerial) && instants.Contains(r.At))
                .Select(r => new { r.InverterSerial, r.At })
                .ToListAsync(cancellationToken);
            var seen = stored.Select(k => (k.InverterSerial, k.At)).ToHashSet();
            var duplicates = new List<GatewayReading>();
            foreach (var row in rows)
            {
                row.Id = 0; // a failed attempt (here or the caller's) may have left a key on it
                if (seen.Add((row.InverterSerial, row.At)))
                {
                    db.GatewayReadings.Add(row);
                }
                else
                {
                    duplicates.Add(row);
                }
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return duplicates;
            }
            catch (DbUpdateException) when (attempt < attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
