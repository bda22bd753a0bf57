using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Alarms;

/// <summary>What the reading evaluator remembers of one device between readings: whose it is, its newest reading's
/// time and faults, and how long each of its plant's threshold rules has held.</summary>
internal sealed class WatchedDevice(string serial)
{
    public string Serial { get; } = serial;
    /// <summary>Null while no plant has registered it: nobody to alarm.</summary>
    public Guid? PlantId { get; set; }
    public string? Model { get; set; }
    public long ResolvedAt { get; set; }
    public long LastAtMs { get; set; } = long.MinValue;
    public FaultSet Faults;
    /// <summary>False until the first reading since start: then the open alarms are compared with it once.</summary>
    public bool FaultsKnown { get; set; }
    public Dictionary<Guid, RuleHold> Rules { get; } = [];
}

/// <summary>One rule on one device: since when its condition has held (null: not now), and whether its alarm is up
/// (null: not known yet, after a start).</summary>
internal sealed class RuleHold
{
    public long? SinceMs { get; set; }
    public bool? Raised { get; set; }
}
