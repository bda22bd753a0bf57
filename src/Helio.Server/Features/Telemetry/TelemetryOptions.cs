using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Telemetry;

/// <summary>Settings under "Telemetry": the raw store's batching and retention, rollups and the overview's factors.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Readings committed per transaction at most (plus the rest of the last submission taken).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2000;

    /// <summary>How long the writer waits for more readings when the queue runs dry before committing what it has:
    /// the most a lone reading waits, and what lets a trickle of readings share transactions.</summary>
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Submissions (a gateway poll, an ingest request) queued at most before submitters wait. Bounded in
    /// readings too: an ingest request carries at most 500, so at most 2 M readings (~1 GB) are ever queued.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Raw readings older than this are deleted; rollups stay for the life of the plant.</summary>
    [Range(1, 36_500)]
    public int RawRetentionDays { get; set; } = 730;

    /// <summary>How often the rollup worker looks for new readings to roll up.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>kg of CO₂ a kWh of solar energy avoids: 0.475 is the IEA's world-average grid emission factor; set
    /// your grid's (e.g. about 0.38 for Germany in 2023).</summary>
    [Range(0, 10)]
    public double Co2KgPerKwh { get; set; } = 0.475;
}
