using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Looks at every reading as soon as it is committed (<see cref="CommittedReadings"/>) for the alarms a reading can
/// raise or clear: inverter faults and the owners' threshold rules. Each node evaluates the readings it wrote, so the
/// work spreads with the gateway and ingest. What it remembers per device is in memory and cheap to compare; the
/// database is touched only when something changes (a fault appears or goes, a rule trips or recovers, and after a
/// start each device's first reading, compared with the alarms left open), and then once per batch: one query for the
/// changed devices' active fault alarms, one for the alarms to change, one transaction.
/// </summary>
internal sealed partial class ReadingAlarms(CommittedReadings committed, IServiceScopeFactory scopes, AlarmRuleChanges ruleChanges, ILogger<ReadingAlarms> logger)
    : BackgroundService
{
    /// <summary>How long who-owns-which-device and a plant's rules are trusted before being read again.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, WatchedDevice> devices = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (RuleAlarms.Compiled[] Rules, long LoadedAt)> rules = [];
    private readonly List<AlarmChange> changes = [];
    private readonly List<(WatchedDevice Device, FaultSet Faults, InverterState State, DateTimeOffset At)> faultChanges = [];
    private int rulesVersion;

    /// <summary>Readings evaluated since start, for the benchmark and tests.</summary>
    public long Evaluated { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in committed.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await EvaluateAsync(batch, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, batch.Length, e);
                // Compare each device with its open alarms again at its next reading, so nothing stays wrong.
                foreach (var device in devices.Values)
                {
                    device.FaultsKnown = false;
                    foreach (var hold in device.Rules.Values)
                    {
                        hold.Raised = null;
                    }
                }
            }
            Evaluated += batch.Length;
        }
    }

    internal async Task EvaluateAsync(TelemetryReading[] batch, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref ruleChanges.Version) != rulesVersion)
        {
            rulesVersion = Volatile.Read(ref ruleChanges.Version);
            rules.Clear();
        }
        await ResolveAsync(batch, cancellationToken);
        changes.Clear();
        faultChanges.Clear();
        foreach (ref readonly var reading in batch.AsSpan())
        {
            var device = devices[reading.InverterSerial];
            if (device.PlantId is not { } plantId || reading.AtMs <= device.LastAtMs)
            {
                // Nobody's device yet, or older than what was already judged (late data tells nothing about now).
                continue;
            }
            device.LastAtMs = reading.AtMs;
            if (!device.FaultsKnown || !device.Faults.Equals(reading.Reading.Faults))
            {
                device.Faults = reading.Reading.Faults;
                device.FaultsKnown = true;
                faultChanges.Add((device, reading.Reading.Faults, reading.Reading.State, DateTimeOffset.FromUnixTimeMilliseconds(reading.AtMs)));
            }
            if (rules.TryGetValue(plantId, out var plantRules))
            {
                foreach (var rule in plantRules.Rules)
                {
                    CheckRule(device, plantId, rule, in reading);
                }
            }
        }
        if (changes.Count == 0 && faultChanges.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        if (faultChanges.Count > 0)
        {
            await FaultChangesAsync(scope.ServiceProvider.GetRequiredService<HelioDbContext>(), cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<AlarmBook>().ApplyAsync(changes, cancellationToken);
    }

    /// <summary>Turns the batch's changed fault sets into alarm changes, against the active fault alarms of those
    /// devices read in one query.</summary>
    private async Task FaultChangesAsync(HelioDbContext db, CancellationToken cancellationToken)
    {
        var active = new Dictionary<(Guid, string), HashSet<string>>();
        foreach (var serials in faultChanges.Select(c => c.Device.Serial).Distinct().Chunk(500))
        {
            var rows = await db.Alarms.AsNoTracking()
                .Where(a => a.Source == AlarmSource.Fault && a.OpenKey != null && (a.State == AlarmState.Raised || a.State == AlarmState.Acknowledged) && serials.Contains(a.DeviceSerial!))
                .Select(a => new { a.PlantId, a.DeviceSerial, a.Code }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                if (!active.TryGetValue((row.PlantId, row.DeviceSerial!), out var codes))
                {
                    active[(row.PlantId, row.DeviceSerial!)] = codes = new HashSet<string>(StringComparer.Ordinal);
                }
                codes.Add(row.Code);
            }
        }
        foreach (var (device, faults, state, at) in faultChanges)
        {
            var key = (device.PlantId!.Value, device.Serial);
            if (!active.TryGetValue(key, out var codes))
            {
                active[key] = codes = new HashSet<string>(StringComparer.Ordinal);
            }
            FaultAlarms.Changes(device, codes, faults, state, at, changes);
        }
    }

    private void CheckRule(WatchedDevice device, Guid plantId, RuleAlarms.Compiled rule, in TelemetryReading reading)
    {
        if (!device.Rules.TryGetValue(rule.Rule.Id, out var hold))
        {
            device.Rules[rule.Rule.Id] = hold = new RuleHold();
        }
        switch (RuleAlarms.Evaluate(rule, hold, reading.Reading, reading.AtMs))
        {
            case RuleAlarms.Step.Raise:
                changes.Add(AlarmChange.Raise(RuleAlarms.Signal(rule, plantId, device.Serial, reading.Reading, hold.SinceMs!.Value, reading.AtMs)));
                break;
            case RuleAlarms.Step.Clear:
                changes.Add(AlarmChange.Clear(Alarm.KeyOf(plantId, device.Serial, AlarmSource.Rule, RuleAlarms.CodeOf(rule.Rule)), "the rule's condition no longer holds"));
                break;
        }
    }

    /// <summary>Learns (again, after <see cref="Refresh"/>) which plant each device of the batch belongs to, and those plants' rules.</summary>
    private async Task ResolveAsync(TelemetryReading[] batch, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var stale = new HashSet<string>(StringComparer.Ordinal);
        foreach (ref readonly var reading in batch.AsSpan())
        {
            if (!devices.TryGetValue(reading.InverterSerial, out var device) || now - device.ResolvedAt > Refresh.TotalMilliseconds)
            {
                stale.Add(reading.InverterSerial);
            }
        }
        var plants = new HashSet<Guid>();
        if (stale.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            foreach (var chunk in stale.Chunk(500))
            {
                var owned = await db.Devices.AsNoTracking()
                    .Where(d => chunk.Contains(d.SerialNumber) && d.Kind == Devices.DeviceKind.Inverter)
                    .Select(d => new { d.SerialNumber, d.PlantId, d.Model })
                    .ToDictionaryAsync(d => d.SerialNumber, StringComparer.Ordinal, cancellationToken);
                foreach (var serial in chunk)
                {
                    if (!devices.TryGetValue(serial, out var device))
                    {
                        devices[serial] = device = new WatchedDevice(serial);
                    }
                    var found = owned.GetValueOrDefault(serial);
                    if (device.PlantId != found?.PlantId)
                    {
                        // Registered, moved or unbound: start afresh with the new plant's alarms.
                        device.FaultsKnown = false;
                        device.Rules.Clear();
                    }
                    device.PlantId = found?.PlantId;
                    device.Model = found?.Model;
                    device.ResolvedAt = now;
                }
            }
        }
        foreach (ref readonly var reading in batch.AsSpan())
        {
            if (devices[reading.InverterSerial].PlantId is { } plant && (!rules.TryGetValue(plant, out var known) || now - known.LoadedAt > Refresh.TotalMilliseconds))
            {
                plants.Add(plant);
            }
        }
        if (plants.Count > 0)
        {
            await LoadRulesAsync(plants, now, cancellationToken);
        }
    }

    private async Task LoadRulesAsync(HashSet<Guid> plants, long now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        foreach (var chunk in plants.Chunk(500))
        {
            var enabled = await db.AlarmRules.AsNoTracking().Where(r => chunk.Contains(r.PlantId) && r.Enabled).ToListAsync(cancellationToken);
            foreach (var plant in chunk)
            {
                var compiled = enabled.Where(r => r.PlantId == plant && Metrics.TryParse(r.Metric, out _))
                    .Select(r => new RuleAlarms.Compiled(r, Metrics.TryParse(r.Metric, out var m) ? m : default))
                    .ToArray();
                rules[plant] = (compiled, now);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating alarms for {Count} readings failed")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);
}

/// <summary>Bumped when an owner changes a rule, so this node's evaluator reads rules again at once (other nodes
/// within 30 s).</summary>
public sealed class AlarmRuleChanges
{
    public int Version;

    public void Changed() => Interlocked.Increment(ref Version);
}
