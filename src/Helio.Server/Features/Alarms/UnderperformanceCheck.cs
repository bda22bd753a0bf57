using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Judges each plant's local day once, an hour (<see cref="AlarmsOptions.UnderperformanceJudgeAfter"/>) after it ended
/// there: its energy from the day rollups against its neighbours' or a clear sky's (<see cref="UnderperformanceRule"/>),
/// raising the plant's underperformance alarm or clearing it. Runs every
/// <see cref="AlarmsOptions.UnderperformanceCheckInterval"/> because plants end their days at different hours, one node
/// at a time (a lease). Per run: one query for the plants, one for their settings, and for each day being judged one for
/// the day rollups of the plants due and their neighbours and one for their open alarms; the neighbours themselves are
/// found in memory (<see cref="Neighbourhood"/>).
/// </summary>
internal sealed partial class UnderperformanceCheck(IServiceScopeFactory scopes, JobLeases leases, TimeProvider time, IOptions<AlarmsOptions> options, ILogger<UnderperformanceCheck> logger)
    : BackgroundService
{
    private const string Job = "alarms-underperformance";

    /// <summary>The lease keeps other nodes out; this keeps a second run on this node (a test) from running beside the timer's.</summary>
    private readonly SemaphoreSlim running = new(1, 1);

    private sealed record Candidate(Guid Id, double Latitude, double Longitude, string TimeZone, double CapacityKwp);

    private sealed record Due(Candidate Plant, TimeZoneInfo Zone, DateOnly Day, int Percent, bool PercentIsPlantSetting);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(options.Value.UnderperformanceCheckInterval, time, RunOnceAsync, e => LogFailed(logger, e), stoppingToken);

    /// <summary>Judges every plant whose last ended day is due; returns how many were judged (-1 when another node holds the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            return await RoundAsync(cancellationToken);
        }
        finally
        {
            running.Release();
        }
    }

    private async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (!await leases.TryAcquireAsync(db, Job, TimeSpan.FromMinutes(10), cancellationToken))
        {
            return -1;
        }
        var settings = options.Value;
        var now = time.GetUtcNow();
        // A plant without capacity has no specific yield, and cannot be anyone's yardstick either.
        var plants = await db.Plants.AsNoTracking().Where(p => p.CapacityKwp > 0)
            .Select(p => new Candidate(p.Id, p.Latitude, p.Longitude, p.TimeZone, p.CapacityKwp)).ToListAsync(cancellationToken);
        var own = await db.PlantAlarmSettings.AsNoTracking()
            .Select(s => new { s.PlantId, s.UnderperformancePercent, s.UnderperformanceCheckedDay }).ToDictionaryAsync(s => s.PlantId, cancellationToken);
        var zones = new Dictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);
        var due = new List<Due>();
        foreach (var plant in plants)
        {
            if (!zones.TryGetValue(plant.TimeZone, out var zone))
            {
                zones[plant.TimeZone] = zone = TimeZoneInfo.TryFindSystemTimeZoneById(plant.TimeZone, out var found) ? found : null;
            }
            if (zone is null)
            {
                continue;
            }
            // The last local day that ended at least JudgeAfter ago.
            var day = LocalPeriods.LocalDate((now - settings.UnderperformanceJudgeAfter).ToUnixTimeMilliseconds(), zone).AddDays(-1);
            var row = own.GetValueOrDefault(plant.Id);
            if (row?.UnderperformanceCheckedDay >= day)
            {
                continue;
            }
            var ownPercent = row is { UnderperformancePercent: > PlantAlarmSettings.Inherit };
            due.Add(new Due(plant, zone, day, ownPercent ? row!.UnderperformancePercent : settings.UnderperformancePercent, ownPercent));
        }
        if (due.Count == 0)
        {
            return 0;
        }
        var neighbourhood = new Neighbourhood(plants.Select(p => new PlantPlace(p.Id, p.Latitude, p.Longitude)));
        var capacities = plants.ToDictionary(p => p.Id, p => p.CapacityKwp);
        var book = scope.ServiceProvider.GetRequiredService<AlarmBook>();
        var judged = 0;
        // Plants in one zone (and its neighbours) share the day being judged: usually one or two groups per run.
        foreach (var group in due.GroupBy(d => d.Day))
        {
            var nearby = group.ToDictionary(d => d.Plant.Id, d => neighbourhood.Within(d.Plant.Latitude, d.Plant.Longitude, settings.NeighbourRadiusKm)
                .Where(p => p.Id != d.Plant.Id).Select(p => p.Id).ToList());
            var wanted = nearby.Keys.Concat(nearby.Values.SelectMany(ids => ids)).Distinct().ToList();
            var dueIds = nearby.Keys.ToList();
            var key = LocalPeriods.DayKey(group.Key);
            // The same read EnergyBars makes for a month's bars: the plant's day row, by primary key.
            var days = await db.PlantRollups.AsNoTracking()
                .Where(r => r.Level == RollupLevel.Day && r.Period == key && wanted.Contains(r.PlantId))
                .Select(r => new { r.PlantId, r.EnergyWh, r.Samples }).ToDictionaryAsync(r => r.PlantId, cancellationToken);
            var open = await db.Alarms.AsNoTracking()
                .Where(a => dueIds.Contains(a.PlantId) && a.DeviceSerial == null && a.Source == AlarmSource.Underperformance && a.Code == UnderperformanceRule.Code && a.OpenKey != null)
                .ToDictionaryAsync(a => a.PlantId, cancellationToken);
            foreach (var item in group)
            {
                if (!days.TryGetValue(item.Plant.Id, out var mine))
                {
                    // No data at all is the offline alarm's business. The day stays due, so readings a logger delivers
                    // late (after an outage) are still judged.
                    continue;
                }
                var neighbours = nearby[item.Plant.Id].Where(days.ContainsKey).Select(id => days[id].EnergyWh / 1000.0 / capacities[id]).ToList();
                var input = new UnderperformanceDay(
                    item.Day, item.Plant.TimeZone, mine.EnergyWh / 1000.0, mine.Samples, item.Plant.CapacityKwp, item.Percent, item.PercentIsPlantSetting,
                    neighbours, settings.NeighbourRadiusKm,
                    neighbours.Count >= UnderperformanceRule.MinimumNeighbours ? 0 : ExpectedYield.IrradiationKwhPerSquareMetre(item.Plant.Latitude, item.Plant.Longitude, item.Zone, item.Day));
                var verdict = UnderperformanceRule.Judge(input, settings.UnderperformanceClearSkyFactor, now);
                await ActAsync(book, item, verdict, open.GetValueOrDefault(item.Plant.Id), cancellationToken);
                await MarkCheckedAsync(db, item.Plant.Id, item.Day, now, cancellationToken);
                judged++;
            }
        }
        return judged;
    }

    private static async Task ActAsync(AlarmBook book, Due item, UnderperformanceVerdict verdict, Alarm? open, CancellationToken cancellationToken)
    {
        switch (verdict.Outcome)
        {
            case UnderperformanceOutcome.Underperforming when !RaisedFor(open, verdict):
                await book.RaiseAsync(new AlarmSignal(item.Plant.Id, null, AlarmSource.Underperformance, UnderperformanceRule.Code, verdict.Severity,
                    verdict.Title, verdict.Action, verdict.Explanation), cancellationToken);
                break;
            case UnderperformanceOutcome.Healthy when open is { IsActive: true }:
                await book.ClearAsync(open.OpenKey!, verdict.Explanation.Summary, cancellationToken);
                break;
        }
    }

    /// <summary>The open alarm already stands for this very day: a run that raised it and failed before marking the day
    /// checked must not count it twice.</summary>
    private static bool RaisedFor(Alarm? open, UnderperformanceVerdict verdict) =>
        open is { IsActive: true }
        && AlarmExplanation.FromJson(open.Explanation).Inputs.TryGetValue(UnderperformanceRule.DayInput, out var day)
        && day == verdict.Explanation.Inputs[UnderperformanceRule.DayInput];

    private static async Task MarkCheckedAsync(HelioDbContext db, Guid plantId, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var updated = await db.PlantAlarmSettings.Where(s => s.PlantId == plantId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.UnderperformanceCheckedDay, day), cancellationToken);
            if (updated > 0)
            {
                return;
            }
            // Thresholds stay Inherit (0): see PlantAlarmSettings for why defaults are not copied in.
            db.PlantAlarmSettings.Add(new PlantAlarmSettings
            {
                PlantId = plantId,
                UnderperformancePercent = PlantAlarmSettings.Inherit,
                OfflineAfterMinutes = PlantAlarmSettings.Inherit,
                UnderperformanceCheckedDay = day,
                UpdatedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException)
            {
                // The owner saved settings meanwhile (the row exists now: update it), or the plant was deleted (nothing to mark).
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The underperformance check failed; next try in one interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
