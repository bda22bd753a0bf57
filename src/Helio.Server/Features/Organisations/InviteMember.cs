using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// An admin invites someone by e-mail with a role. The answer is the same whether or not the address has an account
/// (ADR 0005); the mail tells the invitee to sign in or register with that address and open the link. Inviting an
/// address again replaces its pending invitation (and its link).
/// </summary>
internal sealed class InviteMember(
    HelioDbContext db, PersonalDataProtector protector, BlindIndex blindIndex, MailOutbox outbox, AccountLinks links,
    AuditTrail audit, OrganisationQueries queries, TimeProvider time)
{
    public const int MaxPendingInvitations = 100;
    public const int MaxMembers = 500;

    public async Task<Outcome<InvitationDto>> HandleAsync(Guid userId, Guid organisationId, InviteMemberRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var email = request.Email?.Trim() ?? "";
        RegisterAccount.ValidateEmail(validation, "email", email);
        OrganisationRoles.Validate(validation, request.Role);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await OrganisationRows.LockForAdminAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        var index = blindIndex.Email(AccountNormalizer.Email(email));
        var members = db.OrganisationMembers.Where(m => m.OrganisationId == organisationId);
        if (await members.AnyAsync(m => db.Users.Any(u => u.Id == m.UserId && u.EmailIndex == index), cancellationToken))
        {
            return Refusal.Invalid("email", "A member of this organisation already has this address.");
        }
        if (await members.CountAsync(cancellationToken) >= MaxMembers)
        {
            return Refusal.Conflict($"An organisation has at most {MaxMembers} members.");
        }
        var pending = db.OrganisationInvitations.Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);
        foreach (var earlier in await pending.Where(i => i.EmailIndex == index).ToListAsync(cancellationToken))
        {
            earlier.RevokedAt = now;
        }
        if (await pending.CountAsync(i => i.EmailIndex != index, cancellationToken) >= MaxPendingInvitations)
        {
            return Refusal.Conflict($"At most {MaxPendingInvitations} invitations can wait at once; withdraw some first.");
        }
        var name = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var (token, hash) = Invitations.NewToken();
        var role = request.Role!.Value;
        var invitation = new OrganisationInvitation
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            EmailIndex = index,
            EmailCipher = await protector.EncryptAsync(userId, OrganisationQueries.InvitationEmailField, email, cancellationToken),
            Role = role,
            TokenHash = hash,
            InvitedBy = userId,
            CreatedAt = now,
            ExpiresAt = now + Invitations.Lifetime,
        };
        db.OrganisationInvitations.Add(invitation);
        await outbox.QueueAsync(userId, email, "organisation-invitation", $"Join {name} on Helio",
            $"You are invited to join the installer organisation “{name}” on Helio as {OrganisationRoles.Describe(role)}.\n\n" +
            Invitations.HowToAccept($"{links.Base}/organisations/join?token={token}", invitation.ExpiresAt, "If you do not expect it, ignore this mail."),
            cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.MemberInvited, AuditActor.User(userId), Target: invitation.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { organisationId, role })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await queries.ToDtoAsync(invitation, cancellationToken);
    }
}
