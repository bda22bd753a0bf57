using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Usage;

public sealed record PageViewsDto(DateOnly Day, string Page, long Views);

/// <summary>The admins' view of the counters: per day and page, for a range of at most <see cref="MaxDays"/> days.</summary>
internal sealed class ListPageViews(HelioDbContext db, TimeProvider time)
{
    public const int MaxDays = 92;

    public async Task<Outcome<IReadOnlyList<PageViewsDto>>> HandleAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var last = to ?? today;
        var first = from ?? last.AddDays(-29);
        if (first > last)
        {
            return Refusal.Invalid("from", "Must not be after 'to'.");
        }
        if (last.DayNumber - first.DayNumber >= MaxDays)
        {
            return Refusal.Invalid("from", $"At most {MaxDays} days at once.");
        }
        var rows = await db.PageViewCounts.AsNoTracking().Where(c => c.Day >= first && c.Day <= last)
            .OrderBy(c => c.Day).ThenBy(c => c.Page).Select(c => new PageViewsDto(c.Day, c.Page, c.Views)).ToListAsync(cancellationToken);
        return rows;
    }
}
