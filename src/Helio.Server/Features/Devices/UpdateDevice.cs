using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Devices;

/// <summary>Changes a device's model or moves it to another plant of the same owner.</summary>
internal sealed class UpdateDevice(HelioDbContext db, DeviceQueries devices, PlantAccess access)
{
    public async Task<Outcome<DeviceDto>> HandleAsync(Guid userId, string serialNumber, UpdateDeviceRequest request, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var device = await devices.Manageable(userId).SingleOrDefaultAsync(d => d.SerialNumber == serial, cancellationToken);
        if (device is null)
        {
            return Refusal.NotFound;
        }
        var validation = new Validation().Optional("model", request.Model, maxLength: 64);
        if (request.PlantId is { } target && target != device.PlantId && !await access.Manageable(userId).AnyAsync(p => p.Id == target, cancellationToken))
        {
            // Moving to a plant one cannot manage is a bad request, phrased as for a plant that does not exist.
            validation.Add("plantId", "No such plant.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        device.Model = string.IsNullOrWhiteSpace(request.Model) ? null : request.Model.Trim();
        device.PlantId = request.PlantId ?? device.PlantId;
        await db.SaveChangesAsync(cancellationToken);
        return DeviceDto.From(device);
    }
}
