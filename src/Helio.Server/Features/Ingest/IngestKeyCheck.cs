using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Finds the plant an ingest key feeds: one indexed lookup by the key's hash, checked on every request so that a
/// revoked or rotated key stops at once, on every node. Notes when a key was last used, at most once a minute.
/// </summary>
internal sealed class IngestKeyCheck(HelioDbContext db, TimeProvider time)
{
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    /// <summary>The key in "Bearer KEY", if the text could be one (so that garbage costs no database lookup).</summary>
    public static string? KeyOf(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var key = authorization[scheme.Length..].Trim();
        return IngestKeySecrets.LooksLikeKey(key) ? key : null;
    }

    /// <summary>The plant of an active key given as "Bearer KEY"; null for anything else.</summary>
    public async Task<Guid?> PlantOfAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (KeyOf(authorization) is not { } key)
        {
            return null;
        }
        var hash = IngestKeySecrets.Hash(key);
        var found = await db.IngestKeys.Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.PlantId, k.LastUsedAt }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (found.LastUsedAt is not { } last || now - last > UsageResolution)
        {
            await db.IngestKeys.Where(k => k.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }
        return found.PlantId;
    }
}
