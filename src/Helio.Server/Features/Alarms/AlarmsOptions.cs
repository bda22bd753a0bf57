using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Alarms;

/// <summary>Settings under "Alarms": detection defaults (a plant may override some) and the lifecycle's timings.</summary>
public sealed class AlarmsOptions
{
    public const string Section = "Alarms";

    /// <summary>How often the offline, communication and closing checks run.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An inverter silent this many poll intervals (Gateway:PollInterval) in daylight is offline, unless the
    /// plant sets its own minutes.</summary>
    [Range(2, 1000)]
    public int OfflineAfterPolls { get; set; } = 5;

    /// <summary>A logger silent this long (no frame at all; it heartbeats every 2 minutes) is offline, night or day.</summary>
    public TimeSpan LoggerOfflineAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The sun's elevation (degrees) above which an inverter is expected to answer.</summary>
    [Range(-10, 45)]
    public double DaylightElevation { get; set; } = 10;

    /// <summary>Default share (%) of the expected day's yield below which a plant is flagged as underperforming.</summary>
    [Range(1, 100)]
    public int UnderperformancePercent { get; set; } = 50;

    /// <summary>Plants within this distance (km) count as neighbours for comparing a day's specific yield.</summary>
    [Range(1, 500)]
    public double NeighbourRadiusKm { get; set; } = 50;

    /// <summary>Without neighbours a day is compared with a clear sky, and flagged only below
    /// <see cref="UnderperformancePercent"/> × this (50 % × 0.4 = 20 % by default): clouds alone can cut a day to
    /// 10–30 % of a clear sky, and a lower bar keeps ordinary overcast days from raising alarms.</summary>
    [Range(0.05, 1)]
    public double UnderperformanceClearSkyFactor { get; set; } = 0.4;

    /// <summary>How often the underperformance check looks for plants whose day is ready to judge.</summary>
    public TimeSpan UnderperformanceCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A local day is judged once the plant's clock is this far into the next day: late readings (a logger
    /// catching up after a short outage) and the rollups of the day's last hours are in by then.</summary>
    public TimeSpan UnderperformanceJudgeAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Communication alarm: at least this share (%) of requests to a logger's inverter failed (timeouts,
    /// error replies) over the last <see cref="CommunicationWindow"/>, with at least <see cref="CommunicationMinRequests"/> asked.</summary>
    [Range(1, 100)]
    public int CommunicationFailurePercent { get; set; } = 30;

    [Range(1, 10_000)]
    public int CommunicationMinRequests { get; set; } = 10;

    /// <summary>Communication alarm: this many bad frames (runs of bytes that were no valid frame) in the window.</summary>
    [Range(1, 1_000_000)]
    public int CommunicationBadFrames { get; set; } = 20;

    public TimeSpan CommunicationWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Flapping: an alarm that comes back this many times within <see cref="FlapWindow"/> goes quiet for
    /// <see cref="FlapQuiet"/> (it stays open and counts; nobody is told again until it has been stable).</summary>
    [Range(2, 1000)]
    public int FlapCount { get; set; } = 3;

    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan FlapQuiet { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A cleared and acknowledged alarm closes once it has stayed cleared this long (a return before that
    /// reopens it, which is how flapping is seen).</summary>
    public TimeSpan CloseAfter { get; set; } = TimeSpan.FromHours(1);
}
