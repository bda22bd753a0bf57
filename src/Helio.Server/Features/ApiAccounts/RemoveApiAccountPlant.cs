using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Stops an API account reading a plant, from its next request on. Needs only the account: someone who has since lost
/// the right to manage the plant can still take it away from their own account.
/// </summary>
internal sealed class RemoveApiAccountPlant(HelioDbContext db, ApiAccountQueries queries, AuditTrail audit)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid accountId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await queries.Owned(userId).AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var association = await db.ApiAccountPlants.SingleOrDefaultAsync(p => p.ApiAccountId == accountId && p.PlantId == plantId, cancellationToken);
        if (association is null)
        {
            return Refusal.NotFound;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ApiAccountPlants.Remove(association);
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiAccountPlantRemoved, AuditActor.User(userId), PlantId: plantId, Target: accountId.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
