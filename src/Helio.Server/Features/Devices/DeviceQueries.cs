using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Devices;

/// <summary>Devices the caller may see: those on plants <see cref="PlantAccess"/> lets them see.</summary>
internal sealed class DeviceQueries(HelioDbContext db, PlantAccess access)
{
    public IQueryable<Device> Visible(Guid userId) =>
        db.Devices.Where(d => access.Visible(userId).Any(p => p.Id == d.PlantId));

    public IQueryable<Device> Manageable(Guid userId) =>
        db.Devices.Where(d => access.Manageable(userId).Any(p => p.Id == d.PlantId));

    public async Task<Outcome<IReadOnlyList<DeviceDto>>> ListAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await access.Visible(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var devices = await db.Devices.AsNoTracking().Where(d => d.PlantId == plantId).OrderBy(d => d.Kind).ThenBy(d => d.SerialNumber).ToListAsync(cancellationToken);
        return devices.Select(DeviceDto.From).ToList();
    }

    public async Task<DeviceDto?> GetAsync(Guid userId, string serialNumber, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var device = await Visible(userId).AsNoTracking().SingleOrDefaultAsync(d => d.SerialNumber == serial, cancellationToken);
        return device is null ? null : DeviceDto.From(device);
    }
}
