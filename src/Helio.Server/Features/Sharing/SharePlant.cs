using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// The owner shares a plant, to view or to manage: with an organisation at once (by the id its staff give them), or
/// with a person by an invitation mailed to their address, which becomes a share when they accept it. The answer to an
/// invitation is the same whether or not the address has an account (ADR 0005). Only the owner shares: nobody can grant
/// themselves a plant, an organisation's admins included.
/// </summary>
internal sealed class SharePlant(
    HelioDbContext db, ShareQueries queries, PersonalDataProtector protector, BlindIndex blindIndex, MailOutbox outbox,
    AccountLinks links, AuditTrail audit, Privacy.Consent.ConsentQueries consents, TimeProvider time)
{
    public const string ConsentMissing = "Sharing a plant with an installer organisation needs your consent to \"installer-sharing\": give it on your privacy page or with PUT /api/v1/me/consents.";

    public const int MaxActiveShares = 100;
    public const int MaxPendingInvitations = 50;

    public async Task<Outcome<ShareDto>> HandleAsync(Guid userId, Guid plantId, ShareRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var email = request.Email?.Trim();
        if (request.OrganisationId is null == string.IsNullOrEmpty(email))
        {
            validation.Add(request.OrganisationId is null ? "email" : "organisationId", "Give either an organisation's id or a person's e-mail address, not both.");
        }
        else if (email is not null)
        {
            RegisterAccount.ValidateEmail(validation, "email", email);
        }
        ValidateScope(validation, request.Scope);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await queries.Owned(userId).Where(p => p.Id == plantId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken) is not { } plantName)
        {
            return Refusal.NotFound;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = request.OrganisationId is { } organisationId
            ? await WithOrganisationAsync(userId, plantId, organisationId, request.Scope!.Value, cancellationToken)
            : await InviteAsync(userId, plantId, plantName, email!, request.Scope!.Value, cancellationToken);
        if (outcome.IsSuccess)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return outcome;
    }

    internal static void ValidateScope(Validation validation, ShareScope? scope)
    {
        if (scope is not (ShareScope.View or ShareScope.Manage))
        {
            validation.Add("scope", scope is null ? "Required." : "Must be view or manage.");
        }
    }

    private async Task<Outcome<ShareDto>> WithOrganisationAsync(Guid userId, Guid plantId, Guid organisationId, ShareScope scope, CancellationToken cancellationToken)
    {
        // The organisation's lock: a cancellation running now either ends this share too or has ended the organisation.
        if (!await OrganisationRows.LockActiveAsync(db, organisationId, cancellationToken))
        {
            return Refusal.Invalid("organisationId", "There is no organisation with this id. Ask its staff for the id on their organisation page.");
        }
        // Installer organisations see a plant only under the owner's consent to that purpose (ADR 0022); withdrawing it
        // ends these shares (Privacy.Consent.ChangeConsents).
        if (!await consents.IsGivenAsync(userId, Privacy.Consent.ConsentPurposes.InstallerSharing, cancellationToken))
        {
            return Refusal.Conflict(ConsentMissing);
        }
        var active = db.PlantShares.Where(s => s.PlantId == plantId && s.RevokedAt == null);
        if (await active.AnyAsync(s => s.OrganisationId == organisationId, cancellationToken))
        {
            return Refusal.Conflict("The plant is already shared with this organisation; change the share's scope instead.");
        }
        if (await active.CountAsync(cancellationToken) >= MaxActiveShares)
        {
            return Refusal.Conflict($"A plant can be shared at most {MaxActiveShares} times at once.");
        }
        var now = time.GetUtcNow();
        var share = new PlantShare { Id = Guid.CreateVersion7(now), PlantId = plantId, OrganisationId = organisationId, Scope = scope, GrantedBy = userId, CreatedAt = now };
        db.PlantShares.Add(share);
        await audit.RecordAsync(new AuditRecord(AuditActions.ShareCreated, AuditActor.User(userId), PlantId: plantId, Target: share.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { scope, organisationId })), cancellationToken);
        var name = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        return await queries.ToDtoAsync(share, name, cancellationToken);
    }

    private async Task<Outcome<ShareDto>> InviteAsync(Guid userId, Guid plantId, string plantName, string email, ShareScope scope, CancellationToken cancellationToken)
    {
        var index = blindIndex.Email(AccountNormalizer.Email(email));
        if (await db.Users.AnyAsync(u => u.Id == userId && u.EmailIndex == index, cancellationToken))
        {
            return Refusal.Invalid("email", "That is your own address.");
        }
        var now = time.GetUtcNow();
        var pending = db.ShareInvitations.Where(i => i.PlantId == plantId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);
        // Inviting an address again replaces its invitation (and the link in the earlier mail).
        foreach (var earlier in await pending.Where(i => i.EmailIndex == index).ToListAsync(cancellationToken))
        {
            earlier.RevokedAt = now;
        }
        if (await pending.CountAsync(i => i.EmailIndex != index, cancellationToken) >= MaxPendingInvitations)
        {
            return Refusal.Conflict($"At most {MaxPendingInvitations} invitations to a plant can wait at once; withdraw some first.");
        }
        var (token, hash) = Invitations.NewToken();
        var invitation = new ShareInvitation
        {
            Id = Guid.CreateVersion7(now),
            PlantId = plantId,
            EmailIndex = index,
            EmailCipher = await protector.EncryptAsync(userId, ShareQueries.InvitationEmailField, email, cancellationToken),
            Scope = scope,
            TokenHash = hash,
            InvitedBy = userId,
            CreatedAt = now,
            ExpiresAt = now + Invitations.Lifetime,
        };
        db.ShareInvitations.Add(invitation);
        var what = scope == ShareScope.Manage ? "see and manage it" : "see it";
        await outbox.QueueAsync(userId, email, "share-invitation", "A solar plant was shared with you on Helio",
            $"A Helio user shared their solar plant “{plantName}” with you, so that you can {what}.\n\n" +
            Invitations.HowToAccept($"{links.Base}/shares/accept?token={token}", invitation.ExpiresAt, "If you do not want the plant, ignore this mail."),
            cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.ShareInvited, AuditActor.User(userId), PlantId: plantId, Target: invitation.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { scope })), cancellationToken);
        return await queries.ToDtoAsync(invitation, cancellationToken);
    }
}
