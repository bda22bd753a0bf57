using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// What an owner sees of their API accounts: the list, one account with its plants and limit requests, and its recent
/// requests. An account is its opener's alone; someone else's answers like a missing one (404).
/// </summary>
internal sealed class ApiAccountQueries(HelioDbContext db)
{
    /// <summary>The accounts a person may manage: those they opened.</summary>
    public IQueryable<ApiAccount> Owned(Guid userId) => db.ApiAccounts.Where(a => a.OwnerUserId == userId);

    public async Task<IReadOnlyList<ApiAccountDto>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        await Owned(userId).AsNoTracking()
            .OrderBy(a => a.ClosedAt != null).ThenBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new ApiAccountDto(a.Id, a.Name, a.ClientId, a.PlantLimit, db.ApiAccountPlants.Count(p => p.ApiAccountId == a.Id),
                a.CreatedAt, a.SecretRotatedAt, a.ClosedAt))
            .ToListAsync(cancellationToken);

    public async Task<Outcome<ApiAccountDetailDto>> GetAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        var account = await Owned(userId).AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new ApiAccountDto(a.Id, a.Name, a.ClientId, a.PlantLimit, db.ApiAccountPlants.Count(p => p.ApiAccountId == a.Id),
                a.CreatedAt, a.SecretRotatedAt, a.ClosedAt))
            .SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        var plants = await db.ApiAccountPlants.AsNoTracking().Where(p => p.ApiAccountId == accountId)
            .Join(db.Plants, a => a.PlantId, p => p.Id, (a, p) => new { p.Id, p.Name, a.AddedAt })
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new ApiAccountPlantDto(p.Id, p.Name, p.AddedAt))
            .ToListAsync(cancellationToken);
        var requests = await db.Set<PlantLimitRequest>().AsNoTracking().Where(r => r.ApiAccountId == accountId)
            .OrderByDescending(r => r.RequestedAt)
            .Select(r => new PlantLimitRequestDto(r.Id, r.CurrentLimit, r.RequestedLimit, r.State, r.RequestedAt, r.DecidedAt))
            .ToListAsync(cancellationToken);
        return new ApiAccountDetailDto(account, plants, requests);
    }

    /// <summary>The account's recent requests, newest first (the log keeps the last 200 of the past 7 days).</summary>
    public async Task<Outcome<IReadOnlyList<ApiRequestDto>>> RequestsAsync(Guid userId, Guid accountId, CancellationToken cancellationToken)
    {
        if (!await Owned(userId).AnyAsync(a => a.Id == accountId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        return await db.Set<ApiRequestRecord>().AsNoTracking().Where(r => r.ApiAccountId == accountId)
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
            .Take(ApiRequestLog.KeepPerAccount)
            .Select(r => new ApiRequestDto(r.At, r.Method, r.Route, r.Status, r.DurationMs, r.ErrorTitle, r.ErrorDetail))
            .ToListAsync(cancellationToken);
    }
}
