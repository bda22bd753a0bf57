using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// The user closes the banner of a minor change; it stays closed on every device, because the dismissal is stored,
/// not a cookie. Only the notice on show can be dismissed.
/// </summary>
internal sealed class DismissPolicyNotice(HelioDbContext db, PolicyStandings standings, TimeProvider time)
{
    public async Task<Outcome<MyPolicyDto>> HandleAsync(Guid userId, PolicyVersionRequest request, CancellationToken cancellationToken)
    {
        var standing = await standings.ForAsync(userId, cancellationToken);
        if (standing.Notice is not { } notice || notice.Version != request.Version?.Trim())
        {
            return Refusal.Invalid("version", "There is no notice of this version to dismiss.");
        }
        db.PolicyNoticeDismissals.Add(new PolicyNoticeDismissal { UserId = userId, Version = notice.Version, DismissedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Dismissed at the same moment from another tab: once is enough.
            db.ChangeTracker.Clear();
        }
        return await standings.MineAsync(userId, cancellationToken);
    }
}
