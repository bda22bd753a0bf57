using Helio.Server.Platform.Data;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// Resolves an incident's <see cref="AffectedQuery"/> to accounts, at the moment of notifying:
/// <list type="bullet">
/// <item><c>all</c>: every account;</item>
/// <item><c>plants</c>: the plants' owners and the people they are shared with (a share still in force);</item>
/// <item><c>organisations</c>: the organisations' members, and the owners of plants shared with them (in force);</item>
/// <item><c>region</c>: accounts at home in the region (accounts without a recorded region count as the deployment's).</item>
/// </list>
/// </summary>
internal static class AffectedUsers
{
    public static IQueryable<Guid> Query(HelioDbContext db, AffectedQuery affected, string deploymentRegion)
    {
        switch (affected.Kind)
        {
            case AffectedQuery.Plants:
                var plants = affected.Ids!.ToList();
                return db.Plants.Where(p => plants.Contains(p.Id)).Select(p => p.OwnerId)
                    .Union(db.PlantShares.Where(s => plants.Contains(s.PlantId) && s.RevokedAt == null && s.UserId != null).Select(s => s.UserId!.Value));
            case AffectedQuery.Organisations:
                var organisations = affected.Ids!.ToList();
                return db.OrganisationMembers.Where(m => organisations.Contains(m.OrganisationId)).Select(m => m.UserId)
                    .Union(db.PlantShares.Where(s => s.OrganisationId != null && organisations.Contains(s.OrganisationId.Value) && s.RevokedAt == null)
                        .Join(db.Plants, s => s.PlantId, p => p.Id, (s, p) => p.OwnerId));
            case AffectedQuery.InRegion:
                var region = affected.Region!;
                return region == deploymentRegion
                    ? db.Users.Where(u => u.HomeRegion == region || u.HomeRegion == null).Select(u => u.Id)
                    : db.Users.Where(u => u.HomeRegion == region).Select(u => u.Id);
            default:
                return db.Users.Select(u => u.Id);
        }
    }
}
