using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// The one place an alarm changes state. Detectors say a condition is present (<see cref="RaiseAsync"/>) or gone
/// (<see cref="ClearAsync"/>); people acknowledge and close. Each change writes its history event in the same
/// transaction, and the events people are told about wait there for the notifier. Two nodes racing on the same alarm
/// meet at the unique open key or the version column, and the loser retries on fresh data.
/// </summary>
public sealed class AlarmBook(HelioDbContext db, TimeProvider time, IOptions<AlarmsOptions> options, AlarmEventsSignal signal)
{
    private const int Attempts = 4;
    private readonly AlarmsOptions settings = options.Value;

    /// <summary>The condition is present: raises its alarm, counts a repeat on the open one, or reopens it if it had
    /// cleared (and quiets it when it keeps coming back).</summary>
    public Task<Alarm> RaiseAsync(AlarmSignal signal, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            var key = signal.Key;
            var alarm = await db.Alarms.FirstOrDefaultAsync(a => a.OpenKey == key, cancellationToken);
            alarm = await RaiseTrackedAsync(alarm, signal, time.GetUtcNow(), cancellationToken);
            await SaveAsync(cancellationToken);
            return alarm;
        });

    /// <summary>The condition is gone: clears the open alarm for it, if there is one still active.</summary>
    public Task<Alarm?> ClearAsync(string openKey, string detail, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            var alarm = await db.Alarms.FirstOrDefaultAsync(a => a.OpenKey == openKey, cancellationToken);
            if (alarm is { IsActive: true })
            {
                ClearTracked(alarm, detail, time.GetUtcNow());
                await SaveAsync(cancellationToken);
            }
            return alarm;
        });

    /// <summary>
    /// Many changes, in order, in one transaction: one query for the alarms involved and one save, which is what lets
    /// the reading evaluator keep pace when a fleet's faults change at once. Should another node have raced it (a unique
    /// open key, a version), each change is applied again on its own.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<AlarmChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }
        try
        {
            var now = time.GetUtcNow();
            var open = new Dictionary<string, Alarm>(StringComparer.Ordinal);
            foreach (var keys in changes.Select(c => c.Key).Distinct().Chunk(500))
            {
                foreach (var alarm in await db.Alarms.Where(a => keys.Contains(a.OpenKey!)).ToListAsync(cancellationToken))
                {
                    open[alarm.OpenKey!] = alarm;
                }
            }
            foreach (var change in changes)
            {
                var alarm = open.GetValueOrDefault(change.Key);
                if (change.Signal is { } signal)
                {
                    open[change.Key] = await RaiseTrackedAsync(alarm, signal, now, cancellationToken);
                }
                else if (alarm is { IsActive: true })
                {
                    ClearTracked(alarm, change.Detail ?? "", now);
                }
            }
            await SaveAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            foreach (var change in changes)
            {
                _ = change.Signal is { } signal
                    ? await RaiseAsync(signal, cancellationToken)
                    : await ClearAsync(change.Key, change.Detail ?? "", cancellationToken);
            }
        }
    }

    /// <summary>A person has seen it. Raised becomes acknowledged; a cleared alarm keeps its state and closes once stable.</summary>
    public Task<Alarm?> AcknowledgeAsync(Guid alarmId, Guid userId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            var alarm = await db.Alarms.FirstOrDefaultAsync(a => a.Id == alarmId, cancellationToken);
            if (alarm is null || alarm.AcknowledgedAt is not null || alarm.State == AlarmState.Closed)
            {
                return alarm;
            }
            var now = time.GetUtcNow();
            alarm.AcknowledgedAt = now;
            alarm.AcknowledgedBy = userId;
            if (alarm.State == AlarmState.Raised)
            {
                alarm.State = AlarmState.Acknowledged;
            }
            AddEvent(alarm, AlarmEventKind.Acknowledged, now, null, userId, notify: false);
            await SaveAsync(cancellationToken);
            return alarm;
        });

    /// <summary>Closes a cleared alarm now (a person decides it is over); an active one cannot be closed while its
    /// condition lasts. Returns null when there is no such alarm, and the alarm unchanged when it is still active.</summary>
    public Task<Alarm?> CloseAsync(Guid alarmId, Guid? userId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            var alarm = await db.Alarms.FirstOrDefaultAsync(a => a.Id == alarmId, cancellationToken);
            if (alarm is null || alarm.State != AlarmState.Cleared)
            {
                return alarm;
            }
            Close(alarm, time.GetUtcNow(), userId);
            await SaveAsync(cancellationToken);
            return alarm;
        });

    /// <summary>Closes cleared, acknowledged alarms that have stayed cleared for <see cref="AlarmsOptions.CloseAfter"/>;
    /// returns how many.</summary>
    public async Task<int> CloseStableAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var before = now - settings.CloseAfter;
        var stable = await db.Alarms
            .Where(a => a.State == AlarmState.Cleared && a.AcknowledgedAt != null && a.ClearedAt < before)
            .OrderBy(a => a.ClearedAt).Take(limit).ToListAsync(cancellationToken);
        foreach (var alarm in stable)
        {
            Close(alarm, now, null);
        }
        try
        {
            await SaveAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // One of them changed meanwhile (reopened): the next round looks again.
            db.ChangeTracker.Clear();
            return 0;
        }
        return stable.Count;
    }

    /// <summary>Raises (no open alarm), counts a repeat (active) or reopens (cleared), on tracked rows; the caller saves.</summary>
    private async Task<Alarm> RaiseTrackedAsync(Alarm? alarm, AlarmSignal signal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (alarm is null)
        {
            alarm = new Alarm
            {
                Id = Guid.CreateVersion7(now),
                PlantId = signal.PlantId,
                DeviceSerial = signal.DeviceSerial,
                Source = signal.Source,
                Code = signal.Code,
                Severity = signal.Severity,
                State = AlarmState.Raised,
                Title = signal.Title,
                Action = signal.Action,
                RaisedAt = now,
                LastSeenAt = now,
                Occurrences = 1,
                OpenKey = signal.Key,
                Explanation = signal.Explanation.ToJson(),
            };
            db.Alarms.Add(alarm);
            AddEvent(alarm, AlarmEventKind.Raised, now, null, null, notify: true);
        }
        else if (alarm.IsActive)
        {
            alarm.Occurrences++;
            alarm.LastSeenAt = now;
            AddEvent(alarm, AlarmEventKind.Repeated, now, null, null, notify: false);
        }
        else
        {
            await ReopenAsync(alarm, signal, now, cancellationToken);
        }
        return alarm;
    }

    private async Task ReopenAsync(Alarm alarm, AlarmSignal signal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        alarm.State = alarm.AcknowledgedAt is null ? AlarmState.Raised : AlarmState.Acknowledged;
        alarm.ClearedAt = null;
        alarm.Occurrences++;
        alarm.LastSeenAt = now;
        // The newest decision is the one to explain; the severity may have grown (a rule's, a fault now permanent).
        alarm.Explanation = signal.Explanation.ToJson();
        alarm.Severity = (AlarmSeverity)Math.Max((int)alarm.Severity, (int)signal.Severity);
        var since = now - settings.FlapWindow;
        var returns = 1
            + await db.AlarmEvents.CountAsync(e => e.AlarmId == alarm.Id && e.Kind == AlarmEventKind.Reopened && e.At > since, cancellationToken)
            + db.ChangeTracker.Entries<AlarmEvent>().Count(e => e.State == EntityState.Added && e.Entity.AlarmId == alarm.Id && e.Entity.Kind == AlarmEventKind.Reopened);
        var quiet = alarm.QuietUntil > now;
        if (!quiet && returns >= settings.FlapCount)
        {
            alarm.QuietUntil = now + settings.FlapQuiet;
            AddEvent(alarm, AlarmEventKind.Flapping, now, $"came back {returns} times within {settings.FlapWindow.TotalMinutes:0} min; quiet until it has been stable", null, notify: true);
            quiet = true;
        }
        else if (quiet && returns >= settings.FlapCount)
        {
            // Still flapping: stay quiet for longer.
            alarm.QuietUntil = now + settings.FlapQuiet;
        }
        AddEvent(alarm, AlarmEventKind.Reopened, now, null, null, notify: !quiet);
    }

    private void ClearTracked(Alarm alarm, string detail, DateTimeOffset now)
    {
        alarm.State = AlarmState.Cleared;
        alarm.ClearedAt = now;
        AddEvent(alarm, AlarmEventKind.Cleared, now, detail, null, notify: !(alarm.QuietUntil > now));
    }

    private void Close(Alarm alarm, DateTimeOffset now, Guid? userId)
    {
        alarm.State = AlarmState.Closed;
        alarm.ClosedAt = now;
        alarm.OpenKey = null;
        AddEvent(alarm, AlarmEventKind.Closed, now, null, userId, notify: false);
    }

    private void AddEvent(Alarm alarm, AlarmEventKind kind, DateTimeOffset now, string? detail, Guid? actor, bool notify) =>
        db.AlarmEvents.Add(new AlarmEvent
        {
            AlarmId = alarm.Id,
            Kind = kind,
            At = now,
            ActorId = actor,
            Detail = detail,
            // Steps nobody is told about are born notified, so the notifier's queue holds only real work.
            NotifiedAt = notify ? null : now,
        });

    /// <summary>Saves, counting a version on every changed alarm, and wakes the notifier when there is news.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in db.ChangeTracker.Entries<Alarm>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
        var tell = db.ChangeTracker.Entries<AlarmEvent>().Any(e => e.State == EntityState.Added && e.Entity.NotifiedAt is null);
        await db.SaveChangesAsync(cancellationToken);
        if (tell)
        {
            signal.Pulse();
        }
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await change();
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another node opened the same alarm (unique open key) or changed it (version): start again from the database.
                db.ChangeTracker.Clear();
            }
        }
    }
}
