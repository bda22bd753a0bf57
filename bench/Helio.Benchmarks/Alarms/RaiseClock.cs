using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Helio.Server.Features.Alarms;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helio.Benchmarks.Alarms;

/// <summary>
/// Notes when each fault alarm's raise (or reopen) has committed: an EF interceptor on the server's own context, so
/// the time is taken right after the transaction that makes the alarm row exist (active) — the moment an API call
/// could see it. Keyed by device and the time of the reading that raised it (the explanation's DecidedAt).
/// </summary>
internal sealed class RaiseClock : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<(string Serial, long AtMs)>> pending = [];

    /// <summary>(device serial, reading time in ms) → <see cref="Stopwatch.GetTimestamp"/> right after the commit.</summary>
    public ConcurrentDictionary<(string Serial, long AtMs), long> Committed { get; } = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db)
        {
            List<(string, long)>? raised = null;
            foreach (var entry in db.ChangeTracker.Entries<AlarmEvent>())
            {
                if (entry.State != EntityState.Added || entry.Entity.Kind is not (AlarmEventKind.Raised or AlarmEventKind.Reopened))
                {
                    continue;
                }
                var alarmId = entry.Entity.AlarmId;
                var alarm = db.ChangeTracker.Entries<Alarm>().FirstOrDefault(a => a.Entity.Id == alarmId)?.Entity;
                if (alarm is { Source: AlarmSource.Fault, DeviceSerial: { } serial })
                {
                    (raised ??= []).Add((serial, AlarmExplanation.FromJson(alarm.Explanation).DecidedAt.ToUnixTimeMilliseconds()));
                }
            }
            if (raised is not null)
            {
                pending.AddOrUpdate(db, raised);
            }
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var now = Stopwatch.GetTimestamp();
        if (eventData.Context is { } db && pending.TryGetValue(db, out var raised))
        {
            pending.Remove(db);
            foreach (var key in raised)
            {
                Committed.TryAdd(key, now);
            }
        }
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }
}
