using System.Globalization;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

/// <summary>Reading alarms: a plant's list with filters, one alarm with its explanation and history, open counts for
/// the portfolio. Only plants the caller may see; another's alarm answers like a missing one.</summary>
public sealed class AlarmQueries(HelioDbContext db, PlantAccess access)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private static readonly Dictionary<string, AlarmState[]> StateFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["raised"] = [AlarmState.Raised],
        ["acknowledged"] = [AlarmState.Acknowledged],
        ["cleared"] = [AlarmState.Cleared],
        ["closed"] = [AlarmState.Closed],
        ["active"] = [AlarmState.Raised, AlarmState.Acknowledged],
        ["open"] = [AlarmState.Raised, AlarmState.Acknowledged, AlarmState.Cleared],
    };

    private static readonly Dictionary<string, AlarmSeverity> Severities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["info"] = AlarmSeverity.Info,
        ["warning"] = AlarmSeverity.Warning,
        ["major"] = AlarmSeverity.Major,
        ["critical"] = AlarmSeverity.Critical,
    };

    /// <summary>A plant's alarms, newest first. <paramref name="state"/> and <paramref name="severity"/> take
    /// comma-separated values; <paramref name="cursor"/> is the <c>next</c> of the previous page.</summary>
    public async Task<Outcome<AlarmPageDto>> ListAsync(Guid userId, Guid plantId, string? state, string? severity, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var states = ParseList(state, StateFilters, "state", validation)?.SelectMany(s => s).Distinct().ToArray();
        var severities = ParseList(severity, Severities, "severity", validation)?.ToArray();
        var (take, before) = validation.Page(limit, cursor, DefaultLimit, MaxLimit);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var plant = await access.Visible(userId).Where(p => p.Id == plantId).Select(p => new { p.Name, p.TimeZone }).FirstOrDefaultAsync(cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        var query = db.Alarms.AsNoTracking().Where(a => a.PlantId == plantId);
        if (states is not null)
        {
            query = query.Where(a => states.Contains(a.State));
        }
        if (severities is not null)
        {
            query = query.Where(a => severities.Contains(a.Severity));
        }
        if (before is { } b)
        {
            // Ids are version 7 UUIDs from the raising time: their order is the order raised.
            query = query.Where(a => a.Id.CompareTo(b) < 0);
        }
        var page = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(cancellationToken);
        var zone = Zones.Find(plant.TimeZone);
        var alarms = page.Take(take).Select(a => ToDto(a, plant.Name, plant.TimeZone, zone)).ToList();
        return new AlarmPageDto(alarms, page.Count > take ? alarms[^1].Id.ToString() : null);
    }

    public async Task<AlarmDetailDto?> GetAsync(Guid userId, Guid alarmId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(userId, alarmId, cancellationToken);
        if (found is null)
        {
            return null;
        }
        var (alarm, dto) = found.Value;
        var zone = Zones.Find(dto.TimeZone);
        var history = await db.AlarmEvents.AsNoTracking().Where(e => e.AlarmId == alarmId).OrderBy(e => e.Id)
            .Select(e => new { e.Kind, e.At, e.ActorId, e.Detail }).ToListAsync(cancellationToken);
        var reviews = await db.AlarmReviews.AsNoTracking().Where(r => r.AlarmId == alarmId).OrderBy(r => r.RequestedAt)
            .Select(r => new { r.Id, r.State, r.RequestedAt, r.AnsweredAt, r.Answer }).ToListAsync(cancellationToken);
        return new AlarmDetailDto(
            dto,
            AlarmExplanation.FromJson(alarm.Explanation),
            history.Select(e => new AlarmEventDto(e.Kind, Local(e.At, zone), e.ActorId is not null, e.Detail)).ToList(),
            reviews.Select(r => new AlarmReviewDto(r.Id, r.State, Local(r.RequestedAt, zone), r.AnsweredAt is { } at ? Local(at, zone) : null, r.Answer)).ToList());
    }

    public async Task<AlarmExplanationDto?> ExplainAsync(Guid userId, Guid alarmId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(userId, alarmId, cancellationToken);
        return found is { } f
            ? new AlarmExplanationDto(alarmId, f.Dto.Title, f.Dto.Severity, f.Dto.RaisedAt, AlarmExplanation.FromJson(f.Alarm.Explanation),
                $"POST /api/v1/alarms/{alarmId}/reviews asks a person to review this decision.")
            : null;
    }

    /// <summary>Open alarms (not closed) per plant and the worst severity among the active ones, for the portfolio and plant pages.</summary>
    public async Task<Dictionary<Guid, OpenAlarmCount>> OpenCountsAsync(IReadOnlyCollection<Guid> plantIds, CancellationToken cancellationToken)
    {
        var rows = await db.Alarms.AsNoTracking()
            .Where(a => plantIds.Contains(a.PlantId) && a.State != AlarmState.Closed)
            .GroupBy(a => a.PlantId)
            .Select(g => new
            {
                PlantId = g.Key,
                Open = g.Count(),
                Worst = g.Where(a => a.State == AlarmState.Raised || a.State == AlarmState.Acknowledged).Max(a => (AlarmSeverity?)a.Severity),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.PlantId, r => new OpenAlarmCount(r.Open, r.Worst));
    }

    /// <summary>The alarm when the caller may see its plant, with its DTO.</summary>
    internal async Task<(Alarm Alarm, AlarmDto Dto)?> FindAsync(Guid userId, Guid alarmId, CancellationToken cancellationToken)
    {
        var row = await (
            from a in db.Alarms.AsNoTracking()
            join p in access.Visible(userId) on a.PlantId equals p.Id
            where a.Id == alarmId
            select new { Alarm = a, p.Name, p.TimeZone }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Alarm, ToDto(row.Alarm, row.Name, row.TimeZone, Zones.Find(row.TimeZone)));
    }

    internal static AlarmDto ToDto(Alarm a, string plantName, string timeZone, TimeZoneInfo zone) => new(
        a.Id, a.PlantId, plantName, timeZone, a.DeviceSerial, a.Source, a.Code, a.Severity, a.State, a.Title, a.Action,
        Local(a.RaisedAt, zone), Local(a.LastSeenAt, zone), a.Occurrences,
        a.AcknowledgedAt is { } ack ? Local(ack, zone) : null,
        a.ClearedAt is { } cleared ? Local(cleared, zone) : null,
        a.ClosedAt is { } closed ? Local(closed, zone) : null,
        a.QuietUntil is not null && a.State != AlarmState.Closed);

    internal static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    private static List<T>? ParseList<T>(string? text, Dictionary<string, T> known, string field, Validation validation)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var values = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (known.TryGetValue(part, out var value))
            {
                values.Add(value);
            }
            else
            {
                validation.Add(field, $"'{part}' is not one of {string.Join(", ", known.Keys)}.");
                return null;
            }
        }
        return values;
    }

    internal static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
