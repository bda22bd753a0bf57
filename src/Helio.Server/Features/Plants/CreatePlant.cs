using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Plants;

/// <summary>Creates a plant; its creator is its owner.</summary>
internal sealed class CreatePlant(HelioDbContext db, PersonalDataProtector protector, GetPlant getPlant, TimeProvider time)
{
    public const string AddressField = "plants.address";

    public async Task<Outcome<PlantDto>> HandleAsync(Guid ownerId, PlantRequest request, CancellationToken cancellationToken)
    {
        var validation = PlantValidation.Validate(request, time);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var now = time.GetUtcNow();
        var plant = new Plant { Id = Guid.NewGuid(), OwnerId = ownerId, Name = "", TimeZone = "", CreatedAt = now };
        await Apply(plant, request, protector, now, cancellationToken);
        db.Plants.Add(plant);
        await db.SaveChangesAsync(cancellationToken);
        return await getPlant.ToDtoAsync(plant, deviceCount: 0, withAddress: true, cancellationToken);
    }

    /// <summary>Copies the validated request onto the plant (shared with <see cref="UpdatePlant"/>).</summary>
    internal static async Task Apply(Plant plant, PlantRequest request, PersonalDataProtector protector, DateTimeOffset now, CancellationToken cancellationToken)
    {
        plant.Name = request.Name!.Trim();
        plant.Latitude = request.Latitude!.Value;
        plant.Longitude = request.Longitude!.Value;
        plant.AddressCipher = string.IsNullOrWhiteSpace(request.Address)
            ? null
            : await protector.EncryptAsync(plant.OwnerId, AddressField, request.Address.Trim(), cancellationToken);
        plant.Country = request.Country?.ToUpperInvariant();
        plant.TimeZone = request.TimeZone!;
        plant.CapacityKwp = request.CapacityKwp!.Value;
        plant.CommissioningDate = request.CommissioningDate;
        plant.FeedInTariff = request.FeedInTariff;
        plant.Currency = request.Currency;
        plant.UpdatedAt = now;
    }
}
