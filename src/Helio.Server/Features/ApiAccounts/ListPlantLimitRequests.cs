using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// The platform admins' queue of limit requests, pending ones first. An admin sees the account's label, how many
/// plants it reads and the owner's reason (written for them), never who the owner is.
/// </summary>
internal sealed class ListPlantLimitRequests(HelioDbContext db, PersonalDataProtector protector)
{
    public const int MaxListed = 200;

    public async Task<IReadOnlyList<AdminPlantLimitRequestDto>> HandleAsync(bool pendingOnly, CancellationToken cancellationToken)
    {
        var requests = db.Set<PlantLimitRequest>().AsNoTracking();
        if (pendingOnly)
        {
            requests = requests.Where(r => r.State == PlantLimitRequestState.Pending);
        }
        var rows = await requests
            .OrderBy(r => r.State != PlantLimitRequestState.Pending).ThenBy(r => r.RequestedAt).ThenBy(r => r.Id)
            .Take(MaxListed)
            .Join(db.ApiAccounts, r => r.ApiAccountId, a => a.Id, (r, a) => new { Request = r, a.Name, Plants = db.ApiAccountPlants.Count(p => p.ApiAccountId == a.Id) })
            .ToListAsync(cancellationToken);
        var list = new List<AdminPlantLimitRequestDto>(rows.Count);
        foreach (var row in rows)
        {
            var r = row.Request;
            // An owner who has since been erased leaves a reason nobody can read any more (crypto-shredding).
            string reason;
            try
            {
                reason = await protector.DecryptAsync(r.RequestedBy, RequestPlantLimit.ReasonField, r.ReasonCipher, cancellationToken);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                reason = "(unreadable)";
            }
            list.Add(new AdminPlantLimitRequestDto(r.Id, r.ApiAccountId, row.Name, row.Plants, r.CurrentLimit, r.RequestedLimit, reason, r.State, r.RequestedAt, r.DecidedAt));
        }
        return list;
    }
}
