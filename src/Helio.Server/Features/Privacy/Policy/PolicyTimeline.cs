using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>A published version, without its text: what the acceptance gate and the banner decide by.</summary>
public sealed record PublishedPolicy(string Version, string Title, bool Material, string? Summary, DateTimeOffset EffectiveAt);

/// <summary>
/// The published versions in the order they take effect, read on every signed-in request (the acceptance gate), so
/// kept in memory: a handful of rows that change a few times a year. This node forgets them when it publishes; another
/// node notices within <see cref="Freshness"/> (ADR 0022). Which one is current is worked out per request from the
/// clock, so a scheduled version takes effect on time without any cache turning over.
/// </summary>
public sealed class PolicyTimeline(TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private volatile Snapshot? snapshot;

    public async Task<IReadOnlyList<PublishedPolicy>> GetAsync(HelioDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (snapshot is { } cached && now - cached.ReadAt < Freshness && now >= cached.ReadAt)
        {
            return cached.Versions;
        }
        var versions = (await db.PolicyVersions.AsNoTracking().Where(p => p.PublishedAt != null && p.EffectiveAt != null)
                .Select(p => new { p.Version, p.Title, p.Material, p.Summary, p.EffectiveAt })
                .ToListAsync(cancellationToken))
            .Select(p => new PublishedPolicy(p.Version, p.Title, p.Material, p.Summary, p.EffectiveAt!.Value))
            .OrderBy(p => p.EffectiveAt).ToList();
        snapshot = new Snapshot(now, versions);
        return versions;
    }

    public void Forget() => snapshot = null;

    /// <summary>The version in force at <paramref name="now"/>: the last to have taken effect.</summary>
    public static PublishedPolicy? Current(IReadOnlyList<PublishedPolicy> versions, DateTimeOffset now) =>
        versions.LastOrDefault(v => v.EffectiveAt <= now);

    /// <summary>
    /// Where a user who accepted <paramref name="accepted"/> stands: they must accept the current version when a
    /// material one took effect after the version they accepted; otherwise a minor version newer than theirs is a
    /// notice to show (until dismissed).
    /// </summary>
    public static PolicyStanding Standing(IReadOnlyList<PublishedPolicy> versions, string? accepted, DateTimeOffset now)
    {
        var current = Current(versions, now);
        if (current is null || current.Version == accepted)
        {
            return new PolicyStanding(current, accepted, MustAccept: false, Notice: null);
        }
        var acceptedAt = versions.FirstOrDefault(v => v.Version == accepted)?.EffectiveAt;
        // An unknown accepted version (never published here) counts as older than everything.
        var newer = versions.Where(v => v.EffectiveAt <= now && (acceptedAt is null || v.EffectiveAt > acceptedAt)).ToList();
        if (newer.Any(v => v.Material))
        {
            return new PolicyStanding(current, accepted, MustAccept: true, Notice: null);
        }
        return new PolicyStanding(current, accepted, MustAccept: false, Notice: newer.Count > 0 ? current : null);
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlyList<PublishedPolicy> Versions);
}

/// <param name="Current">The version in force (null only before the first start has created one).</param>
/// <param name="Accepted">The version the user accepted last.</param>
/// <param name="MustAccept">A material change took effect since the user's acceptance: nothing else until they accept.</param>
/// <param name="Notice">A minor change since their acceptance, to show once.</param>
public sealed record PolicyStanding(PublishedPolicy? Current, string? Accepted, bool MustAccept, PublishedPolicy? Notice);
