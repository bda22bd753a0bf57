using System.Globalization;
using Helio.Server.Features.Alarms;

namespace Helio.Server.Features.Web.Pages.Alarms;

/// <summary>Words for the alarms' enums and times; the CSS classes <c>severity-{name}</c> give the colours.</summary>
internal static class AlarmText
{
    /// <summary>The state filters of the list, as <see cref="AlarmQueries.ListAsync"/> takes them ("all" is no filter).</summary>
    public static IReadOnlyList<(string Key, string Name)> StateFilters { get; } =
        [("active", "Active"), ("open", "Open"), ("cleared", "Cleared"), ("closed", "Closed"), ("all", "All")];

    public static IReadOnlyList<AlarmSeverity> Severities { get; } = [AlarmSeverity.Critical, AlarmSeverity.Major, AlarmSeverity.Warning, AlarmSeverity.Info];

    /// <summary>The JSON name ("major"), which the API's filters take and the CSS class carries.</summary>
    public static string Key(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => "info",
        AlarmSeverity.Warning => "warning",
        AlarmSeverity.Major => "major",
        AlarmSeverity.Critical => "critical",
        _ => "info",
    };

    public static string Name(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => "Info",
        AlarmSeverity.Warning => "Warning",
        AlarmSeverity.Major => "Major",
        AlarmSeverity.Critical => "Critical",
        _ => severity.ToString(),
    };

    public static string Name(AlarmState state) => state switch
    {
        AlarmState.Raised => "Raised",
        AlarmState.Acknowledged => "Acknowledged",
        AlarmState.Cleared => "Cleared",
        AlarmState.Closed => "Closed",
        _ => state.ToString(),
    };

    public static string Key(AlarmState state) => state switch
    {
        AlarmState.Raised => "raised",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.Cleared => "cleared",
        _ => "closed",
    };

    public static string Name(AlarmSource source) => source switch
    {
        AlarmSource.Fault => "Inverter fault",
        AlarmSource.Offline => "Offline",
        AlarmSource.Underperformance => "Underperformance",
        AlarmSource.Communication => "Communication",
        AlarmSource.Rule => "Your rule",
        _ => source.ToString(),
    };

    public static string Name(AlarmEventKind kind) => kind switch
    {
        AlarmEventKind.Raised => "Raised",
        AlarmEventKind.Repeated => "Happened again",
        AlarmEventKind.Acknowledged => "Acknowledged",
        AlarmEventKind.Cleared => "Cleared",
        AlarmEventKind.Reopened => "Reopened",
        AlarmEventKind.Closed => "Closed",
        AlarmEventKind.Flapping => "Flapping: quiet until stable",
        AlarmEventKind.ReviewRequested => "Human review requested",
        _ => kind.ToString(),
    };

    public static string Name(ReviewState state) => state switch
    {
        ReviewState.Open => "Open",
        ReviewState.Upheld => "Upheld",
        ReviewState.Overturned => "Overturned",
        _ => state.ToString(),
    };

    public static string Comparison(string symbol) => symbol switch
    {
        ">" => "above",
        ">=" => "at or above",
        "<" => "below",
        "<=" => "at or below",
        _ => symbol,
    };

    /// <summary>A DTO time, already in the plant's offset, as "2026-11-30 14:05".</summary>
    public static string Local(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset? at) => at is { } t ? Local(t) : "–";

    public static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);
}
