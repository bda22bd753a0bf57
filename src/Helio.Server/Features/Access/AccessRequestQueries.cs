using Helio.Server.Features.Accounts;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Access;

/// <summary>The plant's owner, and the live grant the caller reads their contact under (null: the caller is the owner).</summary>
internal sealed record ContactStanding(Guid OwnerId, Guid? GrantId);

/// <summary>One request and where the caller stands towards it.</summary>
internal sealed record RequestParty(AccessRequest Request, Guid OwnerId, string PlantName, bool ManagingAdmin, Guid UserId)
{
    public bool IsRequester => Request.RequesterId == UserId;

    public bool IsOwner => OwnerId == UserId;

    /// <summary>Who said yes; they may take the yes back while the grant lasts.</summary>
    public bool IsApprover => Request.State == AccessRequestState.Approved && Request.DecidedBy == UserId;

    /// <summary>Segregation of duties: the owner or an admin of the managing organisation, but never the requester.</summary>
    public bool MayDecide => !IsRequester && (IsOwner || ManagingAdmin);

    public bool MaySee => IsRequester || IsOwner || ManagingAdmin || Request.DecidedBy == UserId;

    /// <summary>A pending request is withdrawn by its requester (deciders deny it); a live grant ends at the word of
    /// anyone on either side of it.</summary>
    public bool MayRevokeAt(DateTimeOffset now) => Request.State == AccessRequestState.Pending
        ? IsRequester
        : Request.IsLiveAt(now) && (IsRequester || IsOwner || ManagingAdmin || IsApprover);

    /// <summary>Why the caller may not approve or deny this request now; null when they may.</summary>
    public Refusal? RefuseDecision()
    {
        if (IsRequester)
        {
            return Refusal.Forbidden("You cannot decide your own request: someone else must (segregation of duties).");
        }
        if (!MayDecide)
        {
            return Refusal.Forbidden("Only the plant's owner or an admin of the organisation that manages it decides.");
        }
        return Request.State == AccessRequestState.Pending ? null : Refusal.Conflict("The request has been decided already.");
    }
}

/// <summary>
/// Reads requests for their parties: the requester, the plant's owner and the admins of an organisation that manages
/// the plant (an active share with scope manage). To anyone else a request does not exist (404, like a missing id).
/// </summary>
internal sealed class AccessRequestQueries(HelioDbContext db, PlantAccess access, PersonalDataProtector protector, TimeProvider clock)
{
    /// <summary>Per list: requests are few per person (at most 5 pending per plant), so this is a guard, not paging.</summary>
    public const int ListLimit = 200;

    public async Task<AccessRequestListDto> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var decidable = DecidablePlantIds(userId);
        var requested = await db.AccessRequests.AsNoTracking().Where(r => r.RequesterId == userId)
            .OrderByDescending(r => r.RequestedAt).Take(ListLimit).ToListAsync(cancellationToken);
        var awaiting = await db.AccessRequests.AsNoTracking()
            .Where(r => r.State == AccessRequestState.Pending && r.RequesterId != userId && decidable.Contains(r.PlantId))
            .OrderBy(r => r.RequestedAt).Take(ListLimit).ToListAsync(cancellationToken);
        var active = await db.AccessRequests.AsNoTracking().Where(AccessRequest.LiveAt(now))
            .Where(r => decidable.Contains(r.PlantId) || r.DecidedBy == userId)
            .OrderBy(r => r.EndsAt).Take(ListLimit).ToListAsync(cancellationToken);
        var dtos = await ToDtosAsync(userId, [.. requested, .. awaiting, .. active], now, cancellationToken);
        return new AccessRequestListDto(
            [.. requested.Select(r => dtos[r.Id])], [.. awaiting.Select(r => dtos[r.Id])], [.. active.Select(r => dtos[r.Id])]);
    }

    public async Task<AccessRequestDto?> GetAsync(Guid userId, Guid requestId, CancellationToken cancellationToken) =>
        await FindAsync(userId, requestId, cancellationToken) is { } party ? await ToDtoAsync(party, cancellationToken) : null;

    /// <summary>The plants the user may ask for as an organisation's after-sales engineer: those shared with an
    /// organisation they serve in that role (for the page's form).</summary>
    public async Task<IReadOnlyList<(Guid PlantId, string PlantName, string Organisation)>> SharedForAfterSalesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var rows = await (
            from m in db.OrganisationMembers
            where m.UserId == userId && m.Role == OrganisationRole.AfterSales
            join o in db.Organisations on m.OrganisationId equals o.Id
            where o.CancelledAt == null
            from s in db.PlantShares
            where s.OrganisationId == o.Id && s.RevokedAt == null
            join p in db.Plants on s.PlantId equals p.Id
            orderby p.Name
            select new { p.Id, p.Name, Organisation = o.Name }).Take(ListLimit).ToListAsync(cancellationToken);
        return [.. rows.DistinctBy(r => r.Id).Select(r => (r.Id, r.Name, r.Organisation))];
    }

    public Task<bool> IsSupportAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserRoles.AnyAsync(r => r.UserId == userId && r.Role == Roles.Support, cancellationToken);

    /// <summary>
    /// Who may read a plant owner's contact details: the owner, in clear; an engineer with a live grant on the plant,
    /// masked (the grant is named in the audit entry). Null for everyone else, who get what a missing plant gets.
    /// </summary>
    internal async Task<ContactStanding?> ContactStandingAsync(Guid userId, Guid plantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ownerId = await access.Visible(userId).Where(p => p.Id == plantId).Select(p => (Guid?)p.OwnerId).SingleOrDefaultAsync(cancellationToken);
        if (ownerId is not { } owner)
        {
            return null;
        }
        if (owner == userId)
        {
            return new ContactStanding(owner, null);
        }
        var grant = await db.AccessRequests.Where(AccessRequest.LiveAt(now)).Where(r => r.PlantId == plantId && r.RequesterId == userId)
            .OrderByDescending(r => r.EndsAt).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
        return grant is null ? null : new ContactStanding(owner, grant);
    }

    internal async Task<RequestParty?> FindAsync(Guid userId, Guid requestId, CancellationToken cancellationToken)
    {
        var managed = ManagedPlantIds(userId);
        var row = await (
            from r in db.AccessRequests
            where r.Id == requestId
            join p in db.Plants on r.PlantId equals p.Id
            select new { Request = r, p.OwnerId, p.Name, Managing = managed.Contains(r.PlantId) }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        var party = new RequestParty(row.Request, row.OwnerId, row.Name, row.Managing, userId);
        // Everyone else gets what a missing id gets.
        return party.MaySee ? party : null;
    }

    internal async Task<AccessRequestDto> ToDtoAsync(RequestParty party, CancellationToken cancellationToken) =>
        (await ToDtosAsync(party.UserId, [party.Request], clock.GetUtcNow(), cancellationToken))[party.Request.Id];

    /// <summary>The owner and the admins of every organisation that manages the plant: who is asked to decide.</summary>
    internal async Task<List<Guid>> DecidersAsync(Guid plantId, Guid ownerId, CancellationToken cancellationToken)
    {
        // From the plant's shares to their organisations' admins, each step through an index.
        var admins = await db.PlantShares
            .Where(s => s.PlantId == plantId && s.RevokedAt == null && s.Scope == ShareScope.Manage
                && db.Organisations.Any(o => o.Id == s.OrganisationId && o.CancelledAt == null))
            .Join(db.OrganisationMembers.Where(m => m.Role == OrganisationRole.Admin), s => s.OrganisationId, m => (Guid?)m.OrganisationId, (s, m) => m.UserId)
            .Distinct().ToListAsync(cancellationToken);
        return [ownerId, .. admins.Where(a => a != ownerId)];
    }

    /// <summary>Plants that an organisation the user administers manages: shared with it to manage, the share not
    /// revoked, the organisation not cancelled.</summary>
    /// <remarks>From the user's memberships to their organisations' shares, as PlantAccess's rules go: the other way
    /// round scans every share of the platform.</remarks>
    private IQueryable<Guid> ManagedPlantIds(Guid userId) =>
        from m in db.OrganisationMembers
        where m.UserId == userId && m.Role == OrganisationRole.Admin
            && db.Organisations.Any(o => o.Id == m.OrganisationId && o.CancelledAt == null)
        join s in db.PlantShares on (Guid?)m.OrganisationId equals s.OrganisationId
        where s.RevokedAt == null && s.Scope == ShareScope.Manage
        select s.PlantId;

    private IQueryable<Guid> DecidablePlantIds(Guid userId) =>
        db.Plants.Where(p => p.OwnerId == userId).Select(p => p.Id).Concat(ManagedPlantIds(userId));

    private async Task<Dictionary<Guid, AccessRequestDto>> ToDtosAsync(Guid userId, IReadOnlyList<AccessRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plantIds = requests.Select(r => r.PlantId).Distinct().ToList();
        var owners = await db.Plants.Where(p => plantIds.Contains(p.Id)).Select(p => new { p.Id, p.OwnerId }).ToDictionaryAsync(p => p.Id, p => p.OwnerId, cancellationToken);
        // A plant's name only to whoever may see the plant now, as PlantAccess says.
        var visible = await access.Visible(userId).Where(p => plantIds.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var managed = (await ManagedPlantIds(userId).Where(id => plantIds.Contains(id)).ToListAsync(cancellationToken)).ToHashSet();

        var requesterIds = requests.Select(r => r.RequesterId).Distinct().ToList();
        var maskedEmails = new Dictionary<Guid, string>();
        foreach (var user in await db.Users.Where(u => requesterIds.Contains(u.Id)).Select(u => new { u.Id, u.EmailCipher }).ToListAsync(cancellationToken))
        {
            maskedEmails[user.Id] = Masking.Email(await protector.DecryptAsync(user.Id, UserStore.EmailField, user.EmailCipher, cancellationToken));
        }
        var organisationIds = requests.Where(r => r.OrganisationId is not null).Select(r => r.OrganisationId!.Value).Distinct().ToList();
        var organisations = await db.Organisations.Where(o => organisationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var requestIds = requests.Select(r => r.Id).Distinct().ToList();
        var unmaskings = await db.ContactUnmaskings.AsNoTracking().Where(u => requestIds.Contains(u.AccessRequestId)).OrderBy(u => u.At).ToListAsync(cancellationToken);

        var dtos = new Dictionary<Guid, AccessRequestDto>();
        foreach (var request in requests)
        {
            if (dtos.ContainsKey(request.Id))
            {
                continue;
            }
            var party = new RequestParty(request, owners[request.PlantId], "", managed.Contains(request.PlantId), userId);
            var seen = new List<UnmaskingDto>();
            foreach (var u in unmaskings.Where(u => u.AccessRequestId == request.Id))
            {
                seen.Add(new UnmaskingDto(u.Field, await protector.DecryptAsync(u.UserId, UnmaskOwnerContact.ReasonField, u.ReasonCipher, cancellationToken), u.At));
            }
            dtos[request.Id] = new AccessRequestDto(
                request.Id,
                request.PlantId,
                visible.GetValueOrDefault(request.PlantId),
                new RequesterDto(
                    maskedEmails.GetValueOrDefault(request.RequesterId, "***"),
                    request.OrganisationId is null ? RequesterRole.Support : RequesterRole.AfterSales,
                    request.OrganisationId,
                    request.OrganisationId is { } org ? organisations.GetValueOrDefault(org) : null),
                request.Scope,
                await protector.DecryptAsync(request.RequesterId, RequestAccess.ReasonField, request.ReasonCipher, cancellationToken),
                request.Hours,
                StatusOf(request, now),
                request.RequestedAt,
                request.DecidedAt,
                request.StartsAt,
                request.EndsAt,
                request.RevokedAt,
                party.MayDecide && request.State == AccessRequestState.Pending,
                party.MayRevokeAt(now),
                seen);
        }
        return dtos;
    }

    private static AccessRequestStatus StatusOf(AccessRequest request, DateTimeOffset now) => request.State switch
    {
        AccessRequestState.Pending => AccessRequestStatus.Pending,
        AccessRequestState.Approved => request.EndsAt > now ? AccessRequestStatus.Approved : AccessRequestStatus.Expired,
        AccessRequestState.Denied => AccessRequestStatus.Denied,
        _ => AccessRequestStatus.Revoked,
    };
}
