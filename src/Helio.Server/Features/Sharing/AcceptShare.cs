using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

public sealed record ShareInvitationPreview(string PlantName, ShareScope Scope, bool ForYou);

/// <summary>
/// The invited person accepts with the link's token, signed in with the invited (confirmed) address: the share starts
/// then, replacing a share they already had of the plant. The link works once.
/// </summary>
internal sealed class AcceptShare(HelioDbContext db, PersonalDataProtector protector, AuditTrail audit, TimeProvider time)
{
    /// <summary>For the acceptance page: what the link offers, and whether the signed-in account may take it.</summary>
    public async Task<Outcome<ShareInvitationPreview>> PreviewAsync(Guid userId, string? token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } found)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        return new ShareInvitationPreview(found.PlantName, found.Invitation.Scope,
            await Invitations.IsAddressedToAsync(db, userId, found.Invitation.EmailIndex, cancellationToken));
    }

    public async Task<Outcome<AcceptedShareDto>> HandleAsync(Guid userId, AcceptShareRequest request, CancellationToken cancellationToken)
    {
        if (await FindAsync(request.Token, cancellationToken) is not { } first)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        if (!await Invitations.IsAddressedToAsync(db, userId, first.Invitation.EmailIndex, cancellationToken))
        {
            return Refusal.Invalid("token", Invitations.OtherAddress);
        }
        if (first.OwnerId == userId)
        {
            return Refusal.Conflict("This is your own plant.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claim the invitation first: of two uses of the link at once, one updates it and the other finds it taken.
        var now = time.GetUtcNow();
        var invitation = first.Invitation;
        var shareId = Guid.CreateVersion7(now);
        var claimed = await db.ShareInvitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedBy, userId).SetProperty(i => i.ShareId, shareId), cancellationToken);
        if (claimed != 1)
        {
            return Refusal.Invalid("token", Invitations.InvalidLink);
        }
        var records = new List<AuditRecord>();
        foreach (var earlier in await db.PlantShares.Where(s => s.PlantId == invitation.PlantId && s.UserId == userId && s.RevokedAt == null).ToListAsync(cancellationToken))
        {
            earlier.RevokedAt = now;
            earlier.RevokedBy = userId;
            records.Add(new AuditRecord(AuditActions.ShareRevoked, AuditActor.User(userId), PlantId: invitation.PlantId, Target: earlier.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { reason = "replaced", invitationId = invitation.Id })));
        }
        // The owner's record of whom they shared with moves from the invitation to the share, still under their key.
        var email = await protector.DecryptAsync(invitation.InvitedBy, ShareQueries.InvitationEmailField, invitation.EmailCipher, cancellationToken);
        db.PlantShares.Add(new PlantShare
        {
            Id = shareId,
            PlantId = invitation.PlantId,
            UserId = userId,
            Scope = invitation.Scope,
            GrantedBy = invitation.InvitedBy,
            CreatedAt = now,
            EmailCipher = await protector.EncryptAsync(invitation.InvitedBy, ShareQueries.ShareEmailField, email, cancellationToken),
        });
        records.Add(new AuditRecord(AuditActions.ShareCreated, AuditActor.User(userId), PlantId: invitation.PlantId, Target: shareId.ToString(),
            Detail: JsonSerializer.Serialize(new { scope = invitation.Scope, invitationId = invitation.Id })));
        await audit.RecordAsync(records, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AcceptedShareDto(invitation.PlantId, first.PlantName, invitation.Scope);
    }

    private sealed record Found(ShareInvitation Invitation, string PlantName, Guid OwnerId);

    /// <summary>A pending invitation the plant's current owner made (an invitation never outlives its maker's ownership).</summary>
    private async Task<Found?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > Invitations.MaxTokenLength)
        {
            return null;
        }
        var hash = Invitations.Hash(token.Trim());
        var now = time.GetUtcNow();
        return await (
            from i in db.ShareInvitations.AsNoTracking()
            where i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now
            join p in db.Plants on i.PlantId equals p.Id
            where p.OwnerId == i.InvitedBy
            select new Found(i, p.Name, p.OwnerId)).FirstOrDefaultAsync(cancellationToken);
    }
}
