using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Plants;

/// <summary>Deletes a plant; its devices are unbound with it, so their serials can be registered again.</summary>
internal sealed class DeletePlant(HelioDbContext db, PlantAccess access)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var plant = await access.Manageable(userId).SingleOrDefaultAsync(p => p.Id == plantId, cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        db.Plants.Remove(plant);
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }
}
