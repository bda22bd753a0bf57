using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Who hears about a plant's alarms: everyone who may see the plant. Today that is its owner; the Access issue adds
/// the people and installer organisations the owner shares it with (each then per their own settings), here and
/// nowhere else.
/// </summary>
internal static class AlarmRecipients
{
    public static async Task<Dictionary<Guid, Guid[]>> ForPlantsAsync(HelioDbContext db, IReadOnlyCollection<Guid> plantIds, CancellationToken cancellationToken)
    {
        var owners = await db.Plants.AsNoTracking().Where(p => plantIds.Contains(p.Id)).Select(p => new { p.Id, p.OwnerId }).ToListAsync(cancellationToken);
        return owners.ToDictionary(p => p.Id, p => new[] { p.OwnerId });
    }
}
