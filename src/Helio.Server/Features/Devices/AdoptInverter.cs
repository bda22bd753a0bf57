using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Devices;

internal enum Adoption { Added, AlreadyInPlant, HeldElsewhere, NotAnInverterSerial }

/// <summary>
/// Adds the inverter the gateway found behind a registered logger to that logger's plant, unless it is registered
/// elsewhere (left there: its owner decides), so an owner never has to type a serial the equipment already told us.
/// Ingest does not adopt: a key names no equipment the owner has shown to be theirs.
/// </summary>
internal static class AdoptInverter
{
    public static async Task<Adoption> IntoPlantAsync(HelioDbContext db, TimeProvider time, Guid plantId, string inverterSerial, CancellationToken cancellationToken)
    {
        if (SerialNumbers.Problem(DeviceKind.Inverter, inverterSerial) is not null)
        {
            return Adoption.NotAnInverterSerial;
        }
        var serial = SerialNumbers.Normalise(inverterSerial);
        var holder = await db.Devices.Where(d => d.SerialNumber == serial).Select(d => new { d.PlantId, d.Kind }).FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            return holder.PlantId == plantId && holder.Kind == DeviceKind.Inverter ? Adoption.AlreadyInPlant : Adoption.HeldElsewhere;
        }
        var device = new Device { Id = Guid.NewGuid(), SerialNumber = serial, Kind = DeviceKind.Inverter, PlantId = plantId, CreatedAt = time.GetUtcNow() };
        db.Devices.Add(device);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await Telemetry.RollupRecompute.DevicesAsync(db, [serial], cancellationToken);
            return Adoption.Added;
        }
        catch (DbUpdateException)
        {
            // Registered at the same moment by someone else: the unique serial index decided; ask it who won.
            db.Entry(device).State = EntityState.Detached;
            var winner = await db.Devices.Where(d => d.SerialNumber == serial).Select(d => (Guid?)d.PlantId).FirstOrDefaultAsync(cancellationToken);
            return winner == plantId ? Adoption.AlreadyInPlant : Adoption.HeldElsewhere;
        }
    }
}
