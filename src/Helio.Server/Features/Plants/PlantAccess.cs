using Helio.Server.Platform.Data;

namespace Helio.Server.Features.Plants;

/// <summary>
/// The one answer to "which plants may this user see": every query for plants or their devices starts
/// here, so that a foreign plant is indistinguishable from a missing one. Later features (shares,
/// after-sales grants) widen it here and nowhere else.
/// </summary>
public sealed class PlantAccess(HelioDbContext db)
{
    public IQueryable<Plant> Visible(Guid userId) => db.Plants.Where(p => p.OwnerId == userId);

    public IQueryable<Plant> Manageable(Guid userId) => db.Plants.Where(p => p.OwnerId == userId);
}
