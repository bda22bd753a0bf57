using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

internal sealed class GetPlant(HelioDbContext db, PlantAccess access, PersonalDataProtector protector)
{
    /// <summary>
    /// The plant as the caller may see it. Its street address is the owner's personal data: it is shown to the owner
    /// and to those the owner trusts to manage the plant (an installer has to find the site), and to nobody else —
    /// not to a shared viewer, an engineer during a grant, or an API account (ADR 0017).
    /// </summary>
    public async Task<PlantDto?> HandleAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var manageable = access.Manageable(userId);
        var row = await access.Visible(userId).Where(p => p.Id == plantId)
            .Select(p => new { Plant = p, Devices = db.Devices.Count(d => d.PlantId == p.Id), Manages = manageable.Any(m => m.Id == p.Id) })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : await ToDtoAsync(row.Plant, row.Devices, withAddress: row.Manages, cancellationToken);
    }

    /// <param name="withAddress">Only for the owner and those who may manage the plant.</param>
    internal async Task<PlantDto> ToDtoAsync(Plant p, int deviceCount, bool withAddress, CancellationToken cancellationToken) => new(
        p.Id, p.Name, p.Latitude, p.Longitude,
        withAddress ? await protector.DecryptOrNullAsync(p.OwnerId, CreatePlant.AddressField, p.AddressCipher, cancellationToken) : null,
        p.Country, p.TimeZone, p.CapacityKwp, p.CommissioningDate, p.FeedInTariff, p.Currency, deviceCount, p.CreatedAt, p.UpdatedAt);
}
