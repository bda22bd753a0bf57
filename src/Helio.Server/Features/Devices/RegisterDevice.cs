using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Devices;

/// <summary>
/// Binds a serial number to one of the caller's plants. A serial bound anywhere else is refused with
/// the same words whoever holds it: the refusal never says whose it is.
/// </summary>
internal sealed class RegisterDevice(HelioDbContext db, PlantAccess access, TimeProvider time)
{
    public const string Taken = "This serial number is already registered. If the device is yours, ask its current owner to remove it, or contact support.";

    public async Task<Outcome<DeviceDto>> HandleAsync(Guid userId, Guid plantId, RegisterDeviceRequest request, CancellationToken cancellationToken)
    {
        if (!await access.Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var validation = new Validation();
        if (request.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return validation.Add("kind", "Must be \"inverter\" or \"logger\".").ToRefusal();
        }
        if (SerialNumbers.Problem(kind, request.SerialNumber) is { } problem)
        {
            validation.Add("serialNumber", problem);
        }
        validation.Optional("model", request.Model, maxLength: 64);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var serial = SerialNumbers.Normalise(request.SerialNumber!);
        if (await db.Devices.AnyAsync(d => d.SerialNumber == serial, cancellationToken))
        {
            return Refusal.Conflict(Taken);
        }
        var device = new Device
        {
            Id = Guid.NewGuid(),
            SerialNumber = serial,
            Kind = kind,
            Model = string.IsNullOrWhiteSpace(request.Model) ? null : request.Model.Trim(),
            PlantId = plantId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Devices.Add(device);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with another registration of the same serial: the unique index decided.
            db.Entry(device).State = EntityState.Detached;
            return Refusal.Conflict(Taken);
        }
        // Data it sent before it was registered (an unclaimed logger's inverter) now counts for this plant.
        await Telemetry.RollupRecompute.DevicesAsync(db, [serial], cancellationToken);
        return DeviceDto.From(device);
    }
}
