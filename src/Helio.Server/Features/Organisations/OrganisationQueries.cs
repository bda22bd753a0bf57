using Helio.Server.Features.Plants;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// What members read: their organisations, and of one organisation its plants (every member), members and pending
/// invitations (its admins). A non-member gets the same 404 for an organisation as for a missing one.
/// </summary>
public sealed class OrganisationQueries(HelioDbContext db, PlantAccess access, PersonalDataProtector protector, TimeProvider time)
{
    public const string MemberEmailField = "organisation_members.email";
    public const string InvitationEmailField = "organisation_invitations.email";
    /// <summary>The organisation's plants answered at once; its staff's plant list pages through all of them.</summary>
    public const int MaxPlantsListed = 500;

    public async Task<IReadOnlyList<OrganisationDto>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        (await Summaries(db.OrganisationMembers.Where(m => m.UserId == userId)).ToListAsync(cancellationToken))
            .OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Id).ToList();

    public async Task<Outcome<OrganisationDto>> GetAsync(Guid userId, Guid organisationId, CancellationToken cancellationToken) =>
        await Summaries(db.OrganisationMembers.Where(m => m.UserId == userId && m.OrganisationId == organisationId)).FirstOrDefaultAsync(cancellationToken) is { } found
            ? found
            : Refusal.NotFound;

    public async Task<Outcome<OrganisationPlantsDto>> PlantsAsync(Guid userId, Guid organisationId, CancellationToken cancellationToken)
    {
        if (await OrganisationRows.MembershipAsync(db, userId, organisationId, cancellationToken) is null)
        {
            return Refusal.NotFound;
        }
        // Through PlantAccess like every plant query: the organisation's shares, among the plants the caller may see.
        var shared = from p in access.Visible(userId)
                     join s in db.PlantShares on p.Id equals s.PlantId
                     where s.OrganisationId == organisationId && s.RevokedAt == null
                     select new { Plant = p, Share = s };
        var plants = await shared.OrderBy(x => x.Plant.Name).ThenBy(x => x.Plant.Id).Take(MaxPlantsListed)
            .Select(x => new OrganisationPlantDto(x.Plant.Id, x.Plant.Name, x.Share.Id, x.Share.Scope, x.Share.CreatedAt))
            .ToListAsync(cancellationToken);
        var total = plants.Count < MaxPlantsListed ? plants.Count : await shared.CountAsync(cancellationToken);
        return new OrganisationPlantsDto(plants, total);
    }

    public async Task<Outcome<IReadOnlyList<MemberDto>>> MembersAsync(Guid userId, Guid organisationId, CancellationToken cancellationToken)
    {
        if (await OrganisationRows.AdminRefusalAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var members = await db.OrganisationMembers.AsNoTracking().Where(m => m.OrganisationId == organisationId)
            .OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId).ToListAsync(cancellationToken);
        var list = new List<MemberDto>(members.Count);
        foreach (var member in members)
        {
            list.Add(new MemberDto(member.UserId, member.Role, member.JoinedAt,
                await Invitations.TryDecryptAsync(protector, member.UserId, MemberEmailField, member.EmailCipher, cancellationToken), member.UserId == userId));
        }
        return list;
    }

    public async Task<Outcome<IReadOnlyList<InvitationDto>>> InvitationsAsync(Guid userId, Guid organisationId, CancellationToken cancellationToken)
    {
        if (await OrganisationRows.AdminRefusalAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        var pending = await db.OrganisationInvitations.AsNoTracking()
            .Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        var list = new List<InvitationDto>(pending.Count);
        foreach (var invitation in pending)
        {
            list.Add(await ToDtoAsync(invitation, cancellationToken));
        }
        return list;
    }

    internal async Task<InvitationDto> ToDtoAsync(OrganisationInvitation invitation, CancellationToken cancellationToken) =>
        new(invitation.Id, await Invitations.TryDecryptAsync(protector, invitation.InvitedBy, InvitationEmailField, invitation.EmailCipher, cancellationToken),
            invitation.Role, invitation.CreatedAt, invitation.ExpiresAt);

    private IQueryable<OrganisationDto> Summaries(IQueryable<OrganisationMember> memberships) =>
        from m in memberships
        join o in db.Organisations on m.OrganisationId equals o.Id
        where o.CancelledAt == null
        select new OrganisationDto(o.Id, o.Name, m.Role, o.CreatedAt,
            db.OrganisationMembers.Count(x => x.OrganisationId == o.Id),
            db.PlantShares.Count(s => s.OrganisationId == o.Id && s.RevokedAt == null));
}
