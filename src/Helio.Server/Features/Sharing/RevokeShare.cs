using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// Ends a share at once (the grantee's next request no longer sees the plant), or withdraws a pending invitation. The
/// owner may end any of their plant's shares; the person a plant is shared with may end their own; an organisation's
/// admin may end a share made to the organisation. To anyone else, the share is as missing as the plant.
/// </summary>
internal sealed class RevokeShare(HelioDbContext db, ShareQueries queries, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid plantId, Guid shareId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var owner = await queries.Owned(userId).AnyAsync(p => p.Id == plantId, cancellationToken);
        var share = await db.PlantShares.FirstOrDefaultAsync(s => s.Id == shareId && s.PlantId == plantId && s.RevokedAt == null, cancellationToken);
        if (share is not null && (owner || await IsGranteeAsync(userId, share, cancellationToken)))
        {
            share.RevokedAt = now;
            share.RevokedBy = userId;
            await audit.RecordAsync(new AuditRecord(AuditActions.ShareRevoked, AuditActor.User(userId), PlantId: plantId, Target: share.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { reason = owner ? "owner" : "grantee", organisationId = share.OrganisationId })), cancellationToken);
            return new Done();
        }
        var invitation = owner
            ? await db.ShareInvitations.FirstOrDefaultAsync(i => i.Id == shareId && i.PlantId == plantId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken)
            : null;
        if (invitation is null)
        {
            return Refusal.NotFound;
        }
        invitation.RevokedAt = now;
        await audit.RecordAsync(new AuditRecord(AuditActions.ShareInvitationRevoked, AuditActor.User(userId), PlantId: plantId, Target: invitation.Id.ToString()), cancellationToken);
        return new Done();
    }

    private async Task<bool> IsGranteeAsync(Guid userId, PlantShare share, CancellationToken cancellationToken) =>
        share.UserId == userId
        || (share.OrganisationId is { } organisationId
            && await OrganisationRows.MembershipAsync(db, userId, organisationId, cancellationToken) is { Role: OrganisationRole.Admin });
}
