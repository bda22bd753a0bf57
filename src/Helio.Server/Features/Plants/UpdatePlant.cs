using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

/// <summary>Replaces a plant's editable fields (PUT semantics: absent optional fields are cleared).</summary>
internal sealed class UpdatePlant(HelioDbContext db, PlantAccess access, PersonalDataProtector protector, GetPlant getPlant, TimeProvider time)
{
    public async Task<Outcome<PlantDto>> HandleAsync(Guid userId, Guid plantId, PlantRequest request, CancellationToken cancellationToken)
    {
        var plant = await access.Manageable(userId).SingleOrDefaultAsync(p => p.Id == plantId, cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        var validation = PlantValidation.Validate(request, time);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var zone = plant.TimeZone;
        await CreatePlant.Apply(plant, request, protector, time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (plant.TimeZone != zone)
        {
            // Every local hour and day moved: roll the plant's history up again in its new zone.
            await Telemetry.RollupRecompute.PlantAsync(db, plant.Id, cancellationToken);
        }
        var devices = await db.Devices.CountAsync(d => d.PlantId == plantId, cancellationToken);
        return await getPlant.ToDtoAsync(plant, devices, withAddress: true, cancellationToken);
    }
}
