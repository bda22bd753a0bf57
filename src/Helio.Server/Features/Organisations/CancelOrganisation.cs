using System.Text;
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
/// An admin cancels the organisation, in one transaction: every share made to it ends, its pending invitations die,
/// the after-sales access its engineers asked for as its engineers ends, its memberships go (so no one is left who
/// could see anything through it, even a share made a moment too late), and each owner whose plant it could see is
/// told by mail. The organisation's row stays, cancelled, for the audit trail.
/// </summary>
internal sealed class CancelOrganisation(HelioDbContext db, PersonalDataProtector protector, MailOutbox outbox, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid organisationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await OrganisationRows.LockForAdminAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        var organisation = await db.Organisations.SingleAsync(o => o.Id == organisationId, cancellationToken);
        organisation.CancelledAt = now;
        var records = new List<AuditRecord>();

        var shares = await db.PlantShares.Where(s => s.OrganisationId == organisationId && s.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var share in shares)
        {
            share.RevokedAt = now;
            share.RevokedBy = userId;
            records.Add(new AuditRecord(AuditActions.ShareRevoked, AuditActor.User(userId), PlantId: share.PlantId, Target: share.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { organisationId, reason = "organisation-cancelled" })));
        }
        await db.OrganisationInvitations.Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);
        records.AddRange(await OrganisationGrants.EndAsync(db, organisationId, null, userId, "organisation-cancelled", now, cancellationToken));
        var members = await db.OrganisationMembers.Where(m => m.OrganisationId == organisationId).ExecuteDeleteAsync(cancellationToken);
        records.Insert(0, new AuditRecord(AuditActions.OrganisationCancelled, AuditActor.User(userId), Target: organisationId.ToString(),
            Detail: JsonSerializer.Serialize(new { organisationId, shares = shares.Count, members })));

        await TellOwnersAsync(organisation.Name, shares.Select(s => s.PlantId).ToHashSet(), cancellationToken);
        await audit.RecordAsync(records, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }

    private async Task TellOwnersAsync(string organisation, HashSet<Guid> plantIds, CancellationToken cancellationToken)
    {
        var plants = await db.Plants.AsNoTracking().Where(p => plantIds.Contains(p.Id))
            .Join(db.Users.Where(u => u.EmailConfirmed), p => p.OwnerId, u => u.Id, (p, u) => new { p.OwnerId, p.Name, u.EmailCipher })
            .ToListAsync(cancellationToken);
        foreach (var owner in plants.GroupBy(p => p.OwnerId))
        {
            var to = await protector.DecryptAsync(owner.Key, UserStore.EmailField, owner.First().EmailCipher, cancellationToken);
            var text = new StringBuilder()
                .Append("The installer organisation “").Append(organisation).Append("” has closed its Helio account. ")
                .Append("It no longer sees these plants of yours, which you had shared with it:\n\n");
            foreach (var name in owner.Select(p => p.Name).Order(StringComparer.Ordinal))
            {
                text.Append("- ").Append(name).Append('\n');
            }
            text.Append("\nYou can share them with another installer on each plant's Sharing page.");
            await outbox.QueueAsync(owner.Key, to, "organisation-cancelled", $"{organisation} no longer sees your plants", text.ToString(), cancellationToken);
        }
    }
}
