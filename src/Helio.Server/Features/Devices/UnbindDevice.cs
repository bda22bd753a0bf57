using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Devices;

/// <summary>Removes a device from its plant, with what it measured and the alarms about it; the serial is free to be
/// registered again, by anyone.</summary>
internal sealed class UnbindDevice(HelioDbContext db, DeviceQueries devices)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, string serialNumber, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var device = await devices.Manageable(userId).SingleOrDefaultAsync(d => d.SerialNumber == serial, cancellationToken);
        if (device is null)
        {
            return Refusal.NotFound;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Telemetry.TelemetryErasure.EraseAsync(db, [serial], cancellationToken);
        await Alarms.AlarmErasure.EraseDeviceAsync(db, device.PlantId, serial, cancellationToken);
        db.Devices.Remove(device);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
