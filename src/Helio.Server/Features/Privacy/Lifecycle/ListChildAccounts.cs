using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>A child's account waiting for its guardian, as admins see it: no name, address or date of birth.</summary>
public sealed record PendingChildDto(Guid UserId, string Country, int Threshold, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

/// <summary>The accounts waiting for a guardian, oldest first (at most <see cref="Limit"/>): each is erased when it expires.</summary>
internal sealed class ListChildAccounts(HelioDbContext db)
{
    public const int Limit = 200;

    public async Task<IReadOnlyList<PendingChildDto>> HandleAsync(CancellationToken cancellationToken) =>
        await db.Set<GuardianConsent>().AsNoTracking().Where(g => g.ConfirmedAt == null)
            .Join(db.Users, g => g.UserId, u => u.Id, (g, u) => new { g, u.Country })
            .OrderBy(x => x.g.RequestedAt).Take(Limit)
            .Select(x => new PendingChildDto(x.g.UserId, x.Country, x.g.Threshold, x.g.RequestedAt, x.g.ExpiresAt))
            .ToListAsync(cancellationToken);
}
