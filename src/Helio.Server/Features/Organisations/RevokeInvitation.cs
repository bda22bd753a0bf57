using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>An admin withdraws a pending invitation: its link stops working.</summary>
internal sealed class RevokeInvitation(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid organisationId, Guid invitationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await OrganisationRows.AdminRefusalAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        var invitation = await db.OrganisationInvitations.FirstOrDefaultAsync(i =>
            i.Id == invitationId && i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken);
        if (invitation is null)
        {
            return Refusal.NotFound;
        }
        invitation.RevokedAt = now;
        await audit.RecordAsync(new AuditRecord(AuditActions.InvitationRevoked, AuditActor.User(userId), Target: invitation.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { organisationId })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
