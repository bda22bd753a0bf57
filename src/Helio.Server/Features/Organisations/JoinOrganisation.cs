using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

public sealed record InvitationPreview(string OrganisationName, OrganisationRole Role, bool ForYou);

/// <summary>
/// The invitee accepts with the link's token, signed in with the invited (confirmed) address, and becomes a member
/// with the offered role. The link works once.
/// </summary>
internal sealed class JoinOrganisation(HelioDbContext db, PersonalDataProtector protector, AuditTrail audit, OrganisationQueries queries, TimeProvider time)
{
    /// <summary>For the join page: what the link offers, and whether the signed-in account may take it.</summary>
    public async Task<Outcome<InvitationPreview>> PreviewAsync(Guid userId, string? token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } invitation)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        var name = await db.Organisations.Where(o => o.Id == invitation.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        return new InvitationPreview(name, invitation.Role, await Invitations.IsAddressedToAsync(db, userId, invitation.EmailIndex, cancellationToken));
    }

    public async Task<Outcome<OrganisationDto>> HandleAsync(Guid userId, AcceptInvitationRequest request, CancellationToken cancellationToken)
    {
        if (await FindAsync(request.Token, cancellationToken) is not { } found)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        if (!await Invitations.IsAddressedToAsync(db, userId, found.EmailIndex, cancellationToken))
        {
            return Refusal.Invalid("token", Invitations.OtherAddress);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Under the organisation's lock, the invitation is read again: a second use of the link waits here and then
        // finds it accepted.
        if (!await OrganisationRows.LockActiveAsync(db, found.OrganisationId, cancellationToken)
            || await FindAsync(request.Token, cancellationToken) is not { } invitation)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        if (await OrganisationRows.MembershipAsync(db, userId, invitation.OrganisationId, cancellationToken) is not null)
        {
            return Refusal.Conflict("You are already a member of this organisation.");
        }
        if (await db.OrganisationMembers.CountAsync(m => m.UserId == userId, cancellationToken) >= CreateOrganisation.MaxMemberships)
        {
            return Refusal.Conflict($"You are a member of {CreateOrganisation.MaxMemberships} organisations, the most one account may be.");
        }
        var now = time.GetUtcNow();
        // The member list shows the address they were invited at; it is theirs, so it is kept under their key.
        var own = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.EmailCipher).SingleAsync(cancellationToken);
        var email = await protector.DecryptAsync(userId, UserStore.EmailField, own, cancellationToken);
        db.OrganisationMembers.Add(new OrganisationMember
        {
            OrganisationId = invitation.OrganisationId,
            UserId = userId,
            Role = invitation.Role,
            JoinedAt = now,
            EmailCipher = await protector.EncryptAsync(userId, OrganisationQueries.MemberEmailField, email, cancellationToken),
        });
        invitation.AcceptedAt = now;
        invitation.AcceptedBy = userId;
        await audit.RecordAsync(new AuditRecord(AuditActions.MemberJoined, AuditActor.User(userId), SubjectUserId: userId, Target: invitation.OrganisationId.ToString(),
            Detail: JsonSerializer.Serialize(new { organisationId = invitation.OrganisationId, role = invitation.Role, invitationId = invitation.Id })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.GetAsync(userId, invitation.OrganisationId, cancellationToken)).Value!;
    }

    private async Task<OrganisationInvitation?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > Invitations.MaxTokenLength)
        {
            return null;
        }
        var hash = Invitations.Hash(token.Trim());
        var now = time.GetUtcNow();
        return await db.OrganisationInvitations.FirstOrDefaultAsync(i =>
            i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now
            && db.Organisations.Any(o => o.Id == i.OrganisationId && o.CancelledAt == null), cancellationToken);
    }
}
