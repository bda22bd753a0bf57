using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

internal sealed class GetPlant(HelioDbContext db, PlantAccess access, PersonalDataProtector protector)
{
    public async Task<PlantDto?> HandleAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var row = await access.Visible(userId).Where(p => p.Id == plantId)
            .Select(p => new { Plant = p, Devices = db.Devices.Count(d => d.PlantId == p.Id) })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : await ToDtoAsync(row.Plant, row.Devices, cancellationToken);
    }

    internal async Task<PlantDto> ToDtoAsync(Plant p, int deviceCount, CancellationToken cancellationToken) => new(
        p.Id, p.Name, p.Latitude, p.Longitude,
        await protector.DecryptOrNullAsync(p.OwnerId, CreatePlant.AddressField, p.AddressCipher, cancellationToken),
        p.Country, p.TimeZone, p.CapacityKwp, p.CommissioningDate, p.FeedInTariff, p.Currency, deviceCount, p.CreatedAt, p.UpdatedAt);
}
