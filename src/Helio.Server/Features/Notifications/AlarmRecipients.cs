using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Who hears about a plant's alarms: its owner, and those the owner shares it with (ADR 0018) — a person with a share,
/// and every member of an organisation with a share — each per their own settings (a member can mute a plant). These
/// are the share branches of <see cref="Plants.PlantAccess"/>'s visibility rule, read from the plant's side. After-sales
/// engineers with a time-limited grant and API accounts see a plant without being told about it: a grant is for looking
/// into one problem, not for a stream of mail.
/// </summary>
internal static class AlarmRecipients
{
    public static async Task<Dictionary<Guid, Guid[]>> ForPlantsAsync(HelioDbContext db, IReadOnlyCollection<Guid> plantIds, CancellationToken cancellationToken)
    {
        var owners = db.Plants.Where(p => plantIds.Contains(p.Id)).Select(p => new { PlantId = p.Id, UserId = p.OwnerId });
        var people = db.PlantShares.Where(s => plantIds.Contains(s.PlantId) && s.RevokedAt == null && s.UserId != null)
            .Select(s => new { s.PlantId, UserId = s.UserId!.Value });
        var staff = from s in db.PlantShares
                    where plantIds.Contains(s.PlantId) && s.RevokedAt == null && s.OrganisationId != null
                    join m in db.OrganisationMembers on s.OrganisationId equals m.OrganisationId
                    select new { s.PlantId, m.UserId };
        var pairs = await owners.Concat(people).Concat(staff).AsNoTracking().ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.PlantId).ToDictionary(g => g.Key, g => g.Select(p => p.UserId).Distinct().ToArray());
    }
}
