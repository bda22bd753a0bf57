using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Consent;

public sealed record ConsentStateDto(string Purpose, string Title, string Description, bool Required, bool Given, DateTimeOffset? Since, string? PolicyVersion);

public sealed record ConsentRecordDto(long Id, string Purpose, bool Given, DateTimeOffset At, string Method, string PolicyVersion);

/// <summary>A user's consents: the current state per purpose (their latest record for it) and the whole history.</summary>
public sealed class ConsentQueries(HelioDbContext db)
{
    /// <summary>Enough for any real history; a page beyond it would be pagination nobody needs yet.</summary>
    public const int MaxHistory = 500;

    public async Task<IReadOnlyList<ConsentStateDto>> CurrentAsync(Guid userId, CancellationToken cancellationToken)
    {
        var latest = await LatestAsync(userId, cancellationToken);
        return ConsentPurposes.All.Select(p => latest.TryGetValue(p.Name, out var record)
                ? new ConsentStateDto(p.Name, p.Title, p.Description, p.Required, record.Given, record.At, record.PolicyVersion)
                : new ConsentStateDto(p.Name, p.Title, p.Description, p.Required, false, null, null))
            .ToList();
    }

    public async Task<IReadOnlyList<ConsentRecordDto>> HistoryAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.ConsentRecords.AsNoTracking().Where(c => c.UserId == userId).OrderByDescending(c => c.Id).Take(MaxHistory)
            .Select(c => new ConsentRecordDto(c.Id, c.Purpose, c.Given, c.At, c.Method, c.PolicyVersion))
            .ToListAsync(cancellationToken);

    /// <summary>Whether the user's latest decision for <paramref name="purpose"/> is "given" (no decision: not given).</summary>
    public Task<bool> IsGivenAsync(Guid userId, string purpose, CancellationToken cancellationToken) =>
        db.ConsentRecords.Where(c => c.UserId == userId && c.Purpose == purpose).OrderByDescending(c => c.Id)
            .Select(c => c.Given).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The users whose latest decision for <paramref name="purpose"/> is "given": for audiences and gates in SQL.</summary>
    public static IQueryable<Guid> Given(HelioDbContext db, string purpose) =>
        db.ConsentRecords
            .Where(c => c.Purpose == purpose && c.Given
                && c.Id == db.ConsentRecords.Where(l => l.UserId == c.UserId && l.Purpose == purpose).Max(l => l.Id))
            .Select(c => c.UserId);

    internal async Task<Dictionary<string, ConsentRecord>> LatestAsync(Guid userId, CancellationToken cancellationToken)
    {
        var records = await db.ConsentRecords.AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var latest = new Dictionary<string, ConsentRecord>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            latest[record.Purpose] = record;
        }
        return latest;
    }
}
