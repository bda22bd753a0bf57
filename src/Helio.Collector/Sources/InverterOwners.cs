using System.Collections.Concurrent;

namespace Helio.Collector.Sources;

/// <summary>
/// Which source reads which inverter, to warn when two read the same one (a logger given with --v5 and its
/// Modbus TCP stick given too, say): its readings would be sent twice, at different instants.
/// </summary>
internal sealed class InverterOwners(CollectorLog log)
{
    private readonly ConcurrentDictionary<string, LoggerSource> owners = new(StringComparer.Ordinal);

    public void Identified(LoggerSource source, string inverterSerial)
    {
        Forget(source);
        var owner = owners.GetOrAdd(inverterSerial, source);
        if (owner != source)
        {
            log.Warn($"inverter {inverterSerial} is read through {owner} and through {source}: its readings are sent twice; give only one");
        }
    }

    /// <summary>The source stopped, or found another inverter behind it.</summary>
    public void Forget(LoggerSource source)
    {
        foreach (var owned in owners.Where(o => o.Value == source))
        {
            owners.TryRemove(owned);
        }
    }
}
