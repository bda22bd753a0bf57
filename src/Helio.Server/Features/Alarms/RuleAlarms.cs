using System.Globalization;
using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Alarms;

/// <summary>An owner's threshold rules, checked on every reading: raised once the condition has held for the rule's
/// duration, cleared at the first reading without it.</summary>
internal static class RuleAlarms
{
    public const string Rule = "owner-threshold-rule";

    /// <summary>A compiled rule: the metric parsed once.</summary>
    public sealed record Compiled(AlarmRule Rule, Metric Metric);

    public enum Step { None, Raise, Clear }

    /// <summary>What this reading means for the rule on this device (no database: the caller acts on Raise/Clear).</summary>
    public static Step Evaluate(Compiled rule, RuleHold hold, in InverterReading reading, long atMs)
    {
        if (!reading.TryGet(rule.Metric, out var value))
        {
            // The reading lacks the metric: no evidence either way.
            return Step.None;
        }
        if (Holds(rule.Rule.Comparison, value, rule.Rule.Threshold))
        {
            hold.SinceMs ??= atMs;
            if (hold.Raised != true && atMs - hold.SinceMs.Value >= rule.Rule.DurationSeconds * 1000L)
            {
                hold.Raised = true;
                return Step.Raise;
            }
            return Step.None;
        }
        hold.SinceMs = null;
        if (hold.Raised != false)
        {
            hold.Raised = false;
            return Step.Clear;
        }
        return Step.None;
    }

    public static bool Holds(RuleComparison comparison, double value, double threshold) => comparison switch
    {
        RuleComparison.Above => value > threshold,
        RuleComparison.AtLeast => value >= threshold,
        RuleComparison.Below => value < threshold,
        RuleComparison.AtMost => value <= threshold,
        _ => false,
    };

    public static string Symbol(RuleComparison comparison) => comparison switch
    {
        RuleComparison.Above => ">",
        RuleComparison.AtLeast => "≥",
        RuleComparison.Below => "<",
        _ => "≤",
    };

    public static string CodeOf(AlarmRule rule) => $"rule-{rule.Id:N}";

    public static AlarmSignal Signal(Compiled compiled, Guid plantId, string serial, in InverterReading reading, long sinceMs, long atMs)
    {
        var rule = compiled.Rule;
        var value = reading[compiled.Metric]!.Value;
        var condition = $"{rule.Metric} {Symbol(rule.Comparison)} {rule.Threshold.ToString(CultureInfo.InvariantCulture)}";
        var explanation = new AlarmExplanation(
            Rule,
            $"Your rule \"{rule.Name}\" ({condition} for {rule.DurationSeconds} s) held on this inverter from {DateTimeOffset.FromUnixTimeMilliseconds(sinceMs):u} to {DateTimeOffset.FromUnixTimeMilliseconds(atMs):u}.",
            new Dictionary<string, string>
            {
                [rule.Metric] = value.ToString("0.###", CultureInfo.InvariantCulture),
                ["condition held since"] = DateTimeOffset.FromUnixTimeMilliseconds(sinceMs).ToString("u", CultureInfo.InvariantCulture),
                ["reading time"] = DateTimeOffset.FromUnixTimeMilliseconds(atMs).ToString("u", CultureInfo.InvariantCulture),
            },
            new Dictionary<string, string>
            {
                ["condition"] = condition,
                ["for at least"] = $"{rule.DurationSeconds} s",
                ["rule id"] = rule.Id.ToString(),
            },
            DateTimeOffset.FromUnixTimeMilliseconds(atMs));
        return new AlarmSignal(plantId, serial, AlarmSource.Rule, CodeOf(rule), rule.Severity, rule.Name, $"Set by the plant's owner: {condition} for {rule.DurationSeconds} s.", explanation);
    }
}
