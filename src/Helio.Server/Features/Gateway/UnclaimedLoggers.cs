using Helio.Server.Features.Devices;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Gateway;

/// <summary>A logger that sends data nobody has registered: what support needs to answer "my logger does not show up".</summary>
public sealed record UnclaimedLoggerDto(string LoggerSerial, string InverterSerial, DateTimeOffset FirstReadingAt, DateTimeOffset LastReadingAt, int Readings, bool ConnectedToThisNode);

/// <summary>
/// Loggers whose readings are buffered (at most 7 days, <see cref="UnclaimedReadingsPurge"/>) because no plant has
/// their serial, most recently heard first. No owner is known for them, so the list holds equipment serials only.
/// </summary>
internal sealed class UnclaimedLoggers(HelioDbContext db, ConnectedLoggers connected)
{
    public const int MaxItems = 200;

    public async Task<IReadOnlyList<UnclaimedLoggerDto>> ListAsync(CancellationToken cancellationToken)
    {
        var loggers = await db.GatewayReadings
            .Where(r => r.LoggerSerial != null && !db.Devices.Any(d => d.Kind == DeviceKind.Logger && d.SerialNumber == r.LoggerSerial))
            .GroupBy(r => r.LoggerSerial!)
            .Select(g => new { Serial = g.Key, Inverter = g.Max(r => r.InverterSerial), First = g.Min(r => r.At), Last = g.Max(r => r.At), Count = g.Count() })
            .OrderByDescending(g => g.Last)
            .Take(MaxItems)
            .ToListAsync(cancellationToken);
        return loggers.Select(l => new UnclaimedLoggerDto(l.Serial, l.Inverter!, l.First, l.Last, l.Count, connected.IsConnected(uint.Parse(l.Serial, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
    }
}
