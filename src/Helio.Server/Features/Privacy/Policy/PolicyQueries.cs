using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// Reading policy versions: the public ones (current, archive, any published version by its label, including one
/// scheduled to take effect, so that people can read it before it applies) and, for the privacy officer, drafts too.
/// A draft is as missing as an unknown label to everyone else.
/// </summary>
public sealed class PolicyQueries(HelioDbContext db, PolicyTimeline timeline, TimeProvider time)
{
    /// <summary>Every version, newest first (the officer's list).</summary>
    public async Task<IReadOnlyList<PolicyVersionDto>> AllAsync(CancellationToken cancellationToken)
    {
        var rows = await db.PolicyVersions.AsNoTracking()
            .Select(p => new Row(p.Version, p.Title, p.Material, p.Summary, p.EffectiveAt, p.PublishedAt, p.CreatedAt)).ToListAsync(cancellationToken);
        var current = await CurrentVersionAsync(cancellationToken);
        return rows.Select(r => Dto(r, current)).OrderByDescending(v => v.EffectiveAt ?? DateTimeOffset.MaxValue).ThenByDescending(v => v.CreatedAt).ToList();
    }

    /// <summary>Published versions only, newest first: the public archive (scheduled ones included, marked so).</summary>
    public async Task<IReadOnlyList<PolicyVersionDto>> PublishedAsync(CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).Where(v => v.State != PolicyStates.Draft).ToList();

    public async Task<Outcome<PolicyDocumentDto>> GetAsync(string version, bool includeDrafts, CancellationToken cancellationToken)
    {
        var row = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.Version == version, cancellationToken);
        if (row is null || (!includeDrafts && row.PublishedAt is null))
        {
            return Refusal.NotFound;
        }
        var current = await CurrentVersionAsync(cancellationToken);
        return new PolicyDocumentDto(Dto(new Row(row.Version, row.Title, row.Material, row.Summary, row.EffectiveAt, row.PublishedAt, row.CreatedAt), current), row.BodyMarkdown);
    }

    /// <summary>The policy in force now (null only before the first start has created one).</summary>
    public async Task<PolicyDocumentDto?> CurrentAsync(CancellationToken cancellationToken) =>
        await CurrentVersionAsync(cancellationToken) is { } version && (await GetAsync(version, includeDrafts: false, cancellationToken)) is { IsSuccess: true } found
            ? found.Value
            : null;

    /// <summary>The published version that takes effect next, if one is scheduled.</summary>
    public async Task<PublishedPolicy?> UpcomingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await timeline.GetAsync(db, cancellationToken)).FirstOrDefault(v => v.EffectiveAt > now);
    }

    public async Task<string?> CurrentVersionAsync(CancellationToken cancellationToken) =>
        PolicyTimeline.Current(await timeline.GetAsync(db, cancellationToken), time.GetUtcNow())?.Version;

    private PolicyVersionDto Dto(Row row, string? current)
    {
        var state = row.PublishedAt is null ? PolicyStates.Draft
            : row.Version == current ? PolicyStates.Current
            : row.EffectiveAt > time.GetUtcNow() ? PolicyStates.Scheduled
            : PolicyStates.Archived;
        return new PolicyVersionDto(row.Version, row.Title, state, row.Material, row.Summary, row.EffectiveAt, row.PublishedAt, row.CreatedAt);
    }

    private sealed record Row(string Version, string Title, bool Material, string? Summary, DateTimeOffset? EffectiveAt, DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt);
}
