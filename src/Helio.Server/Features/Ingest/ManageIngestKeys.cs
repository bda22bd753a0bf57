using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// An owner's ingest keys for one plant: create (the key is shown once), list, rotate (a new secret under the same
/// name; the old one stops at once) and revoke (kept in the list as revoked, so the owner sees what was used).
/// Whoever may manage the plant may manage its keys.
/// </summary>
internal sealed class ManageIngestKeys(HelioDbContext db, PlantAccess access, TimeProvider time)
{
    /// <summary>Enough for every collector and script of a plant; a limit so a leaked session cannot mint keys without end.</summary>
    public const int MaxKeysPerPlant = 20;

    public async Task<Outcome<IReadOnlyList<IngestKeyDto>>> ListAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync(userId, plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var keys = await db.IngestKeys.Where(k => k.PlantId == plantId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
        return keys.Select(IngestKeyDto.From).ToList();
    }

    public async Task<Outcome<NewIngestKeyDto>> CreateAsync(Guid userId, Guid plantId, IngestKeyRequest request, CancellationToken cancellationToken)
    {
        if (!await CanManageAsync(userId, plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var validation = new Validation().Require("name", request.Name, IngestKeySecrets.MaxNameLength);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await db.IngestKeys.CountAsync(k => k.PlantId == plantId && k.RevokedAt == null, cancellationToken) >= MaxKeysPerPlant)
        {
            return Refusal.Conflict($"A plant has at most {MaxKeysPerPlant} active ingest keys; revoke one first.");
        }
        var (key, prefix, hash) = IngestKeySecrets.Create();
        var row = new IngestKey { Id = Guid.NewGuid(), PlantId = plantId, Name = request.Name!.Trim(), Prefix = prefix, Hash = hash, CreatedAt = time.GetUtcNow() };
        db.IngestKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new NewIngestKeyDto(row.Id, row.Name, row.Prefix, row.CreatedAt, key);
    }

    public async Task<Outcome<NewIngestKeyDto>> RotateAsync(Guid userId, Guid plantId, Guid keyId, CancellationToken cancellationToken)
    {
        if (await FindActiveAsync(userId, plantId, keyId, cancellationToken) is not { } row)
        {
            return Refusal.NotFound;
        }
        var (key, prefix, hash) = IngestKeySecrets.Create();
        row.Prefix = prefix;
        row.Hash = hash;
        row.RotatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new NewIngestKeyDto(row.Id, row.Name, row.Prefix, row.CreatedAt, key);
    }

    public async Task<Outcome<Done>> RevokeAsync(Guid userId, Guid plantId, Guid keyId, CancellationToken cancellationToken)
    {
        if (await FindActiveAsync(userId, plantId, keyId, cancellationToken) is not { } row)
        {
            return Refusal.NotFound;
        }
        row.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new Done();
    }

    private Task<bool> CanManageAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        access.Manageable(userId).AnyAsync(p => p.Id == plantId, cancellationToken);

    private async Task<IngestKey?> FindActiveAsync(Guid userId, Guid plantId, Guid keyId, CancellationToken cancellationToken) =>
        await CanManageAsync(userId, plantId, cancellationToken)
            ? await db.IngestKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.PlantId == plantId && k.RevokedAt == null, cancellationToken)
            : null;
}
