using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>Why an account is erased: recorded in the audit trail with the erasure.</summary>
public static class ErasureReasons
{
    public const string UnconfirmedAccount = "unconfirmed-account";
    public const string NoGuardianConsent = "no-guardian-consent";
    public const string GuardianRefused = "guardian-refused";
    public const string ChildWithoutConsent = "child-without-consent";
    public const string AccountCancelled = "account-cancelled";
}

/// <summary>
/// Erases an account, in one transaction, so that nothing in the database leads back to the person or can be decrypted
/// (docs/privacy/retention.md, "What erasure removes and keeps"). In order:
/// <list type="number">
/// <item>the erasure is audited first, with the subject's pseudonym, which is then unlinked (the entry stays);</item>
/// <item>their privacy requests still open are closed (<see cref="Requests.CloseErasedRequests"/>): the requests and their
/// history stay, as the record that they were answered;</item>
/// <item>the person's plants go with everything measured on them (telemetry has no foreign key, so
/// <see cref="Telemetry.TelemetryErasure"/>), and the database cascades their devices (serials released), alarms,
/// rules, settings, shares, share invitations, after-sales grants, ingest keys, operations and rollups;</item>
/// <item>their API accounts' OAuth clients (and with them every token) are deleted;</item>
/// <item>invitations they sent or accepted, and mails queued for them, are deleted; their id is cleared from alarms they
/// acknowledged and alarm events they caused on others' plants;</item>
/// <item>the user row goes, and the database cascades sessions, roles, memberships, notification settings, webhooks,
/// push subscriptions, deliveries, review requests, API accounts and the guardian consent;</item>
/// <item>the user's data key is deleted: every ciphertext made under it, here or in a backup made before, is unreadable
/// (once the key rotation of ADR 0027 has retired the key-encryption key that wrapped it);</item>
/// <item>their export files (decrypted copies) are deleted from the export directory.</item>
/// </list>
/// It keeps: audit entries (pseudonymous, unlinked), organisations the person founded (the founder's id no longer
/// resolves), and the serial-only number rows of telemetry. A new table holding a user id must cascade from
/// <c>users</c> or be handled here. The full deletion request (issue 7, deliverable 3) builds on this.
/// </summary>
internal sealed class AccountErasure(HelioDbContext db, PersonalDataProtector protector, AuditTrail audit, IOpenIddictApplicationManager applications,
    Requests.CloseErasedRequests requests,
    Microsoft.Extensions.Options.IOptions<RetentionOptions> retention, Microsoft.Extensions.Options.IOptions<HelioOptions> helio)
{
    /// <summary>Erases <paramref name="userId"/>; false when there is no such account (already erased).</summary>
    public async Task<bool> EraseAsync(Guid userId, AuditActor actor, string reason, CancellationToken cancellationToken)
    {
        // Inside a caller's transaction (a guardian's refusal, a deletion request) it commits with theirs.
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
            {
                return false;
            }
            // The subject is the pseudonym, unlinked below: the entry must not hold the id, which other rows may still carry.
            await audit.RecordAsync(new AuditRecord(AuditActions.AccountDeleted, actor, SubjectUserId: userId,
                Detail: JsonSerializer.Serialize(new { reason })), cancellationToken);
            // Audited about the person too, so before their pseudonym is unlinked.
            await requests.HandleAsync(userId, cancellationToken);

            var plants = db.Plants.Where(p => p.OwnerId == userId).Select(p => p.Id);
            var serials = await db.Devices.Where(d => plants.Contains(d.PlantId)).Select(d => d.SerialNumber).ToListAsync(cancellationToken);
            await Telemetry.TelemetryErasure.EraseAsync(db, serials, cancellationToken);
            await db.Plants.Where(p => p.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);

            var clients = await db.ApiAccounts.Where(a => a.OwnerUserId == userId).Select(a => a.ClientId).ToListAsync(cancellationToken);
            foreach (var clientId in clients)
            {
                if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } client)
                {
                    await applications.DeleteAsync(client, cancellationToken);
                }
            }

            await db.OrganisationInvitations.Where(i => i.InvitedBy == userId || i.AcceptedBy == userId).ExecuteDeleteAsync(cancellationToken);
            await db.OutboxMails.Where(m => m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            await db.Alarms.Where(a => a.AcknowledgedBy == userId).ExecuteUpdateAsync(s => s.SetProperty(a => a.AcknowledgedBy, (Guid?)null), cancellationToken);
            await db.AlarmEvents.Where(e => e.ActorId == userId).ExecuteUpdateAsync(s => s.SetProperty(e => e.ActorId, (Guid?)null), cancellationToken);

            var exports = await db.PrivacyRequests.Where(r => r.UserId == userId && (r.Kind == Requests.RequestKind.Export || r.Kind == Requests.RequestKind.Transfer))
                .Select(r => r.Id).ToListAsync(cancellationToken);
            Retention.ExportFiles.DeleteFor(helio.Value.DataPath(retention.Value.ExportDirectory), exports);

            await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
            await db.AuditPseudonyms.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            await protector.ShredAsync(userId, cancellationToken);
            // Rows loaded before are gone now; nothing tracked may be saved back over the erasure.
            db.ChangeTracker.Clear();
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return true;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }
}
