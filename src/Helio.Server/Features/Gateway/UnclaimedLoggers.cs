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
        var loggers = await db.TelemetryDevices
            .Where(d => d.LoggerSerial != null && !db.Devices.Any(x => x.Kind == DeviceKind.Logger && x.SerialNumber == d.LoggerSerial))
            .Select(d => new
            {
                Serial = d.LoggerSerial!,
                Inverter = d.Serial,
                First = db.Readings.Where(r => r.Device == d.Number).Min(r => (long?)r.At),
                Last = db.Readings.Where(r => r.Device == d.Number).Max(r => (long?)r.At),
                Count = db.Readings.Count(r => r.Device == d.Number),
            })
            .Where(l => l.Count > 0)
            .OrderByDescending(l => l.Last)
            .Take(MaxItems)
            .ToListAsync(cancellationToken);
        return loggers.Select(l => new UnclaimedLoggerDto(l.Serial, l.Inverter, DateTimeOffset.FromUnixTimeMilliseconds(l.First!.Value), DateTimeOffset.FromUnixTimeMilliseconds(l.Last!.Value), l.Count, connected.IsConnected(uint.Parse(l.Serial, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
    }
}
