using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

public sealed record AlarmRuleRequest(string? Name, string? Metric, string? Comparison, double? Threshold, int? DurationSeconds, AlarmSeverity? Severity, bool? Enabled);

public sealed record AlarmRuleDto(Guid Id, string Name, string Metric, string Comparison, double Threshold, int DurationSeconds, AlarmSeverity Severity, bool Enabled)
{
    internal static AlarmRuleDto From(AlarmRule r) => new(r.Id, r.Name, r.Metric, RuleAlarms.Symbol(r.Comparison), r.Threshold, r.DurationSeconds, r.Severity, r.Enabled);
}

/// <summary>An owner's threshold rules on a plant: list, create, change, delete (which clears and closes its alarms).
/// Only those who manage the plant may change them.</summary>
public sealed class AlarmRules(HelioDbContext db, PlantAccess access, AlarmBook book, AlarmRuleChanges changes, TimeProvider time)
{
    public const int MaxRulesPerPlant = 50;
    public const int MaxDurationSeconds = 7 * 24 * 3600;

    private static readonly Dictionary<string, RuleComparison> Comparisons = new(StringComparer.Ordinal)
    {
        [">"] = RuleComparison.Above,
        [">="] = RuleComparison.AtLeast,
        ["<"] = RuleComparison.Below,
        ["<="] = RuleComparison.AtMost,
    };

    public async Task<Outcome<IReadOnlyList<AlarmRuleDto>>> ListAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await access.Visible(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var rules = await db.AlarmRules.AsNoTracking().Where(r => r.PlantId == plantId).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        return rules.Select(AlarmRuleDto.From).ToList();
    }

    public async Task<Outcome<AlarmRuleDto>> CreateAsync(Guid userId, Guid plantId, AlarmRuleRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        if (!await access.Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        if (await db.AlarmRules.CountAsync(r => r.PlantId == plantId, cancellationToken) >= MaxRulesPerPlant)
        {
            return Refusal.Conflict($"A plant has at most {MaxRulesPerPlant} rules.");
        }
        var now = time.GetUtcNow();
        var rule = new AlarmRule { Id = Guid.CreateVersion7(now), PlantId = plantId, Name = "", Metric = "", CreatedAt = now };
        Apply(rule, request, now);
        db.AlarmRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return AlarmRuleDto.From(rule);
    }

    public async Task<Outcome<AlarmRuleDto>> UpdateAsync(Guid userId, Guid plantId, Guid ruleId, AlarmRuleRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var rule = await FindAsync(userId, plantId, ruleId, cancellationToken);
        if (rule is null)
        {
            return Refusal.NotFound;
        }
        Apply(rule, request, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return AlarmRuleDto.From(rule);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid userId, Guid plantId, Guid ruleId, CancellationToken cancellationToken)
    {
        var rule = await FindAsync(userId, plantId, ruleId, cancellationToken);
        if (rule is null)
        {
            return Refusal.NotFound;
        }
        db.AlarmRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        // Its alarms end with it: cleared (the condition is no longer watched), then closed.
        var code = RuleAlarms.CodeOf(rule);
        var open = await db.Alarms.AsNoTracking().Where(a => a.PlantId == plantId && a.Source == AlarmSource.Rule && a.Code == code && a.OpenKey != null)
            .Select(a => new { a.Id, a.OpenKey }).ToListAsync(cancellationToken);
        foreach (var alarm in open)
        {
            await book.ClearAsync(alarm.OpenKey!, "the rule was deleted", cancellationToken);
            await book.CloseAsync(alarm.Id, userId, cancellationToken);
        }
        return new Done();
    }

    private async Task<AlarmRule?> FindAsync(Guid userId, Guid plantId, Guid ruleId, CancellationToken cancellationToken) =>
        await access.Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken)
            ? await db.AlarmRules.FirstOrDefaultAsync(r => r.Id == ruleId && r.PlantId == plantId, cancellationToken)
            : null;

    private static Refusal? Validate(AlarmRuleRequest request)
    {
        var validation = new Validation().Require("name", request.Name, 100);
        if (string.IsNullOrWhiteSpace(request.Metric) || !Metrics.TryParse(request.Metric, out _))
        {
            validation.Add("metric", "A metric of the readings vocabulary, e.g. activePowerW or radiatorTemperatureC (docs/ingest.md).");
        }
        if (request.Comparison is null || !Comparisons.ContainsKey(request.Comparison))
        {
            validation.Add("comparison", "One of >, >=, <, <=.");
        }
        validation.Range("threshold", request.Threshold, -1e9, 1e9);
        validation.Range("durationSeconds", request.DurationSeconds ?? 0, 0, MaxDurationSeconds);
        if (request.Severity is { } severity && !Enum.IsDefined(severity))
        {
            validation.Add("severity", "One of info, warning, major, critical.");
        }
        return validation.IsValid ? null : validation.ToRefusal();
    }

    private static void Apply(AlarmRule rule, AlarmRuleRequest request, DateTimeOffset now)
    {
        rule.Name = request.Name!.Trim();
        rule.Metric = request.Metric!;
        rule.Comparison = Comparisons[request.Comparison!];
        rule.Threshold = request.Threshold!.Value;
        rule.DurationSeconds = request.DurationSeconds ?? 0;
        rule.Severity = request.Severity ?? AlarmSeverity.Warning;
        rule.Enabled = request.Enabled ?? true;
        rule.UpdatedAt = now;
    }
}
