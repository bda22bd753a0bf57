using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// Deletes what was measured on devices that leave their owner (a plant deleted, a device unbound): the next owner of
/// a serial starts with no history of the last one. The number row stays, serial only and linked to no one, because
/// numbers are never reused and every node's writer may still have it cached.
/// </summary>
public static class TelemetryErasure
{
    public static async Task EraseAsync(HelioDbContext db, IReadOnlyCollection<string> serials, CancellationToken cancellationToken)
    {
        var numbers = await db.TelemetryDevices.Where(d => serials.Contains(d.Serial)).Select(d => d.Number).ToListAsync(cancellationToken);
        if (numbers.Count == 0)
        {
            return;
        }
        await db.Readings.Where(r => numbers.Contains(r.Device)).ExecuteDeleteAsync(cancellationToken);
        await db.DeviceRollups.Where(r => numbers.Contains(r.Device)).ExecuteDeleteAsync(cancellationToken);
        await db.TelemetryDevices.Where(d => numbers.Contains(d.Number)).ExecuteUpdateAsync(s => s.SetProperty(d => d.LoggerSerial, (string?)null), cancellationToken);
    }
}
