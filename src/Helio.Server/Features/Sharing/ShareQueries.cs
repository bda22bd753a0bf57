using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// A plant's shares and pending invitations, for its owner only; anyone else (a person it is shared with included) gets
/// the 404 of a missing plant.
/// </summary>
public sealed class ShareQueries(HelioDbContext db, PlantAccess access, PersonalDataProtector protector, TimeProvider time)
{
    public const string ShareEmailField = "plant_shares.email";
    public const string InvitationEmailField = "share_invitations.email";

    /// <summary>Only the owner shares a plant (a manager may not pass it on). Starts from <see cref="PlantAccess"/>,
    /// like every plant query.</summary>
    internal IQueryable<Plant> Owned(Guid userId) => access.Manageable(userId).Where(p => p.OwnerId == userId);

    public async Task<Outcome<IReadOnlyList<ShareDto>>> ListAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        if (!await Owned(userId).AnyAsync(p => p.Id == plantId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var now = time.GetUtcNow();
        var shares = await (
            from s in db.PlantShares.AsNoTracking()
            where s.PlantId == plantId && s.RevokedAt == null
            join o in db.Organisations on s.OrganisationId equals o.Id into organisations
            from o in organisations.DefaultIfEmpty()
            orderby s.CreatedAt
            select new { Share = s, OrganisationName = o == null ? null : o.Name }).ToListAsync(cancellationToken);
        var pending = await db.ShareInvitations.AsNoTracking()
            .Where(i => i.PlantId == plantId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        var list = new List<ShareDto>(shares.Count + pending.Count);
        foreach (var row in shares)
        {
            list.Add(await ToDtoAsync(row.Share, row.OrganisationName, cancellationToken));
        }
        foreach (var invitation in pending)
        {
            list.Add(await ToDtoAsync(invitation, cancellationToken));
        }
        return list;
    }

    /// <summary>The caller's personal share of a plant they see, if any (a share through an organisation is the
    /// organisation's to end).</summary>
    public async Task<OwnShareDto?> OwnAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        await (from p in access.Visible(userId)
               where p.Id == plantId
               join s in db.PlantShares on p.Id equals s.PlantId
               where s.UserId == userId && s.RevokedAt == null
               select new OwnShareDto(s.Id, s.Scope, s.CreatedAt)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Whether the plant page links to its Sharing page: for the owner, and for a person it is shared with.</summary>
    public Task<bool> HasSharingPageAsync(Guid userId, Guid plantId, CancellationToken cancellationToken) =>
        access.Visible(userId).AnyAsync(p => p.Id == plantId
            && (p.OwnerId == userId || db.PlantShares.Any(s => s.PlantId == p.Id && s.UserId == userId && s.RevokedAt == null)), cancellationToken);

    internal async Task<ShareDto> ToDtoAsync(PlantShare share, string? organisationName, CancellationToken cancellationToken) =>
        new(share.Id, ShareState.Active, share.Scope, share.OrganisationId, organisationName,
            await Invitations.TryDecryptAsync(protector, share.GrantedBy, ShareEmailField, share.EmailCipher, cancellationToken), share.CreatedAt, null);

    internal async Task<ShareDto> ToDtoAsync(ShareInvitation invitation, CancellationToken cancellationToken) =>
        new(invitation.Id, ShareState.Pending, invitation.Scope, null, null,
            await Invitations.TryDecryptAsync(protector, invitation.InvitedBy, InvitationEmailField, invitation.EmailCipher, cancellationToken), invitation.CreatedAt, invitation.ExpiresAt);
}
