using Helio.Server.Features.Audit;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Lets an API account read one more plant: only a plant the caller may manage (a foreign one answers like a missing
/// one), and only up to the account's plant limit. The entry names the plant, so its owner sees it among the
/// accesses to their data.
/// </summary>
internal sealed class AddApiAccountPlant(HelioDbContext db, ApiAccountQueries queries, PlantAccess access, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<ApiAccountPlantDto>> HandleAsync(Guid userId, Guid accountId, AddApiAccountPlantRequest request, CancellationToken cancellationToken)
    {
        var account = await queries.Owned(userId).AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        if (request.PlantId is not { } plantId || plantId == Guid.Empty)
        {
            return Refusal.Invalid("plantId", "Required.");
        }
        if (account.ClosedAt is not null)
        {
            return Refusal.Conflict("This API account is closed.");
        }
        var plant = await access.Manageable(userId).Where(p => p.Id == plantId).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        var existing = await db.ApiAccountPlants.AsNoTracking().SingleOrDefaultAsync(p => p.ApiAccountId == accountId && p.PlantId == plantId, cancellationToken);
        if (existing is not null)
        {
            return new ApiAccountPlantDto(plant.Id, plant.Name, existing.AddedAt);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.ApiAccountPlants.CountAsync(p => p.ApiAccountId == accountId, cancellationToken);
        if (count >= account.PlantLimit)
        {
            return Refusal.Conflict(
                $"This API account may read at most {account.PlantLimit} plants. Remove one, or ask a platform admin for a higher limit (POST /api/v1/api-accounts/{accountId}/limit-requests).");
        }
        var association = new ApiAccountPlant { ApiAccountId = accountId, PlantId = plantId, AddedBy = userId, AddedAt = time.GetUtcNow() };
        db.ApiAccountPlants.Add(association);
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiAccountPlantAdded, AuditActor.User(userId), PlantId: plantId, Target: accountId.ToString()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiAccountPlantDto(plant.Id, plant.Name, association.AddedAt);
    }
}
