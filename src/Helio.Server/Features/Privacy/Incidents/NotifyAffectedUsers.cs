using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// Tells the people affected (Art. 34): each account the incident's query finds now gets the notice in the app (shown
/// at their next visit until read) and, at a confirmed address, by mail through the outbox. Batches of
/// <see cref="Batch"/> accounts commit one by one and only accounts without a notice are taken, so a call cut short,
/// or a later call after the query finds more people, carries on without telling anyone twice. One call handles at
/// most <see cref="MaxPerCall"/> accounts and says whether more are left.
/// </summary>
internal sealed class NotifyAffectedUsers(HelioDbContext db, PersonalDataProtector protector, MailOutbox outbox, AuditTrail audit, IOptions<RegionOptions> regions, TimeProvider time)
{
    public const int Batch = 500;
    public const int MaxPerCall = 100_000;

    public async Task<Outcome<NotifyResultDto>> HandleAsync(Guid officerId, Guid incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Set<SecurityIncident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null)
        {
            return Refusal.NotFound;
        }
        var affected = AffectedUsers.Query(db, IncidentInput.Deserialize(incident.Affected), regions.Value.Region!);
        var notices = db.Set<IncidentNotice>();
        var subject = $"Security incident: {incident.Title}";
        var text = IncidentNotices.MailText(incident);
        int notified = 0, mailed = 0;
        var more = false;
        while (true)
        {
            if (notified >= MaxPerCall)
            {
                more = true;
                break;
            }
            var ids = await affected.Where(id => !notices.Any(n => n.IncidentId == incidentId && n.UserId == id))
                .OrderBy(id => id).Take(Batch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = time.GetUtcNow();
            var people = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
                .Select(u => new { u.Id, u.EmailCipher, u.EmailConfirmed }).ToListAsync(cancellationToken);
            if (people.Count == 0)
            {
                // All erased since the first question: stop rather than risk asking the same again; a later call goes on.
                break;
            }
            foreach (var person in people)
            {
                // Mail only to an address its owner proved is theirs; everyone sees the notice in the app.
                if (person.EmailConfirmed)
                {
                    var to = await protector.DecryptAsync(person.Id, UserStore.EmailField, person.EmailCipher, cancellationToken);
                    await outbox.QueueAsync(person.Id, to, "incident-notice", subject, text, cancellationToken);
                    mailed++;
                }
                notices.Add(new IncidentNotice { IncidentId = incidentId, UserId = person.Id, CreatedAt = now, Mailed = person.EmailConfirmed });
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            notified += people.Count;
        }

        var total = await notices.CountAsync(n => n.IncidentId == incidentId, cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            await db.Set<SecurityIncident>().Where(i => i.Id == incidentId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.UsersNotified, total)
                .SetProperty(i => i.UsersNotifiedAt, i => i.UsersNotifiedAt ?? now)
                .SetProperty(i => i.UpdatedAt, now), cancellationToken);
            await audit.RecordAsync(new AuditRecord(AuditActions.IncidentUsersNotified, AuditActor.User(officerId), Target: incidentId.ToString(),
                Detail: JsonSerializer.Serialize(new { notified, mailed, total, more })), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new NotifyResultDto(notified, mailed, total, more);
    }
}
