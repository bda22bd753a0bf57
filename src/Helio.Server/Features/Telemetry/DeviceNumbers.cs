using System.Collections.Concurrent;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Serial → device number, remembered for the life of the process: numbers never change, so the cache is never
/// wrong, and after the first batch of each device the writer needs no lookup. The logger it came through is
/// remembered too, so the row is updated only when a device moves to another logger.
/// </summary>
internal sealed class DeviceNumbers
{
    private readonly ConcurrentDictionary<string, (int Number, string? Logger)> known = new(StringComparer.Ordinal);

    public bool TryGet(string serial, out int number, out string? logger)
    {
        var found = known.TryGetValue(serial, out var entry);
        (number, logger) = entry;
        return found;
    }

    public void Remember(string serial, int number, string? logger) => known[serial] = (number, logger);

    /// <summary>Drops what a batch that rolled back remembered: its numbers or logger changes were never stored.</summary>
    public void Forget(IEnumerable<string> serials)
    {
        foreach (var serial in serials)
        {
            known.TryRemove(serial, out _);
        }
    }
}
