using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// The first step of an erasure by <see cref="DeletionJob"/> — for a deletion request, or a cancellation whose grace
/// period ended (<see cref="ErasureOccasion"/>) — (GDPR Art. 17(2), 19): everyone the person's data went to is asked to
/// delete it too, and the person gets the final confirmation, while their address and keys still exist. Recipients:
/// <list type="bullet">
/// <item>each organisation any of the person's plants was ever shared with (revoked shares too: it had the data) —
/// a mail to each of its admins;</item>
/// <item>each API account that could read one of the plants — a mail to its owner, or to its organisation's admins;
/// the person's own API accounts are named in their confirmation instead;</item>
/// <item>each of the person's webhooks — a signed <c>account.deleted</c> delivery through the webhook worker.</item>
/// </list>
/// Mails name plants (not personal data, ADR 0003) and never the person. All is queued in one transaction with the
/// request's "started" (or, for a cancellation, "recipients notified") line, whose facts count the recipients;
/// <see cref="EraseRequester"/> waits for it to go out. A person with two deletions queued (a second request, a
/// cancellation's end) is told once: the later ones record which request told them.
/// </summary>
internal sealed class SendErasureNotices(HelioDbContext db, RequestChange change, RequestMails mails, DeliverySignal deliveries, TimeProvider clock)
{
    public const string WebhookEvent = "account.deleted";

    /// <summary>Dropped when the request is no longer for Helio to carry out (refused or answered meanwhile).</summary>
    public async Task<Step> HandleAsync(AccountDeletion deletion, CancellationToken cancellationToken)
    {
        var found = await change.FindAsync(null, deletion.RequestId, cancellationToken);
        if (!found.IsSuccess || !ErasureOccasion.IsDue(found.Value!, RequestState.Verified))
        {
            return Step.Dropped;
        }
        var request = found.Value!;
        var occasion = ErasureOccasion.Of(request);
        var userId = deletion.UserId;
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two deletions of one person queued together (a second request, a cancellation's end): the recipients and the
        // person are told once, by the first; the others record which one did.
        var toldBy = await db.Set<AccountDeletion>()
            .Where(d => d.UserId == userId && d.RequestId != deletion.RequestId && d.NoticesSentAt != null)
            .Select(d => (Guid?)d.RequestId).FirstOrDefaultAsync(cancellationToken);
        var facts = toldBy is { } earlier
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["noticesSentWith"] = earlier.ToString() }
            : await SendAsync(request, occasion, userId, now, cancellationToken);

        // A deletion request starts now; a cancellation was answered when it took effect, and gets a line of its own.
        if (request.Kind == RequestKind.Deletion)
        {
            request.State = RequestState.InProgress;
        }
        var saved = await change.SaveAsync(request, null, occasion.NoticesLine, occasion.NoticesAudit, null, facts, null, cancellationToken);
        if (!saved.IsSuccess)
        {
            return Step.Waiting; // changed meanwhile: rolled back with the transaction, and tried again at the next run
        }
        await db.Set<AccountDeletion>().Where(d => d.RequestId == deletion.RequestId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NoticesSentAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        deliveries.Pulse();
        return Step.NoticesSent;
    }

    /// <summary>Queues the notices, the webhook deliveries and the person's final confirmation; returns the counts.</summary>
    private async Task<Dictionary<string, string>> SendAsync(PrivacyRequest request, ErasureOccasion occasion, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plants = await db.Plants.Where(p => p.OwnerId == userId).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        var plantIds = plants.Select(p => p.Id).ToList();
        string Names(IEnumerable<Guid> ids) => string.Join(", ", plants.Where(p => ids.Contains(p.Id)).Select(p => $"\"{p.Name}\"").Order(StringComparer.Ordinal));

        var shared = await db.PlantShares.Where(s => plantIds.Contains(s.PlantId) && s.OrganisationId != null)
            .Select(s => new { OrganisationId = s.OrganisationId!.Value, s.PlantId }).ToListAsync(cancellationToken);
        var readers = await db.ApiAccountPlants.Where(ap => plantIds.Contains(ap.PlantId))
            .Join(db.ApiAccounts, ap => ap.ApiAccountId, a => a.Id, (ap, a) => new { a.Id, a.Name, a.OwnerUserId, a.OrganisationId, ap.PlantId })
            .ToListAsync(cancellationToken);
        var webhooks = await db.Webhooks.Where(w => w.UserId == userId).Select(w => new { w.Id, w.Name }).ToListAsync(cancellationToken);

        var organisationsTold = 0;
        foreach (var organisation in shared.GroupBy(s => s.OrganisationId))
        {
            var name = await db.Organisations.Where(o => o.Id == organisation.Key).Select(o => o.Name).SingleAsync(cancellationToken);
            organisationsTold += await ToAdminsAsync(organisation.Key, $"""
                The owner of the plants {Names(organisation.Select(s => s.PlantId))}, shared with {name}, has had their personal data erased from Helio
                {occasion.Why}. The plants leave Helio with it, and your access to them ends.

                Under GDPR Art. 17(2) and 19 we ask you to delete the personal data of this owner that {name} holds outside Helio too —
                contact details, notes, reports or exports — unless the law requires you to keep it.
                """, cancellationToken) ? 1 : 0;
        }

        var ownReaders = new SortedSet<string>(StringComparer.Ordinal);
        var readersTold = 0;
        foreach (var account in readers.GroupBy(r => r.Id))
        {
            var first = account.First();
            var text = $"""
                Your API account "{first.Name}" could read the plants {Names(account.Select(a => a.PlantId))}. Their owner has had their personal data
                erased from Helio {occasion.Why}; the plants leave Helio with it, and the account can no longer read them.

                Under GDPR Art. 17(2) and 19 we ask you to delete what your integration copied from these plants, unless the law requires you to keep it.
                """;
            if (first.OwnerUserId == userId)
            {
                ownReaders.Add($"\"{first.Name}\"");
            }
            else if (first.OwnerUserId is { } owner)
            {
                await mails.ToUserAsync(owner, "privacy-erasure-notice", "Please delete data of an erased account", text, cancellationToken);
                readersTold++;
            }
            else if (first.OrganisationId is { } organisation)
            {
                readersTold += await ToAdminsAsync(organisation, text, cancellationToken) ? 1 : 0;
            }
        }

        foreach (var webhook in webhooks)
        {
            db.Deliveries.Add(new Delivery
            {
                Id = Guid.NewGuid(),
                Channel = NotificationChannel.Webhook,
                TargetId = webhook.Id,
                UserId = userId,
                EventId = null,
                Payload = JsonSerializer.Serialize(new AccountDeletedPayload(WebhookEvent, webhook.Id, now,
                    $"The Helio account behind this webhook is being erased, {occasion.WebhookWhy}. Please delete the data you received through it.")),
                State = DeliveryState.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        await mails.ToUserAsync(userId, "privacy-erasure-confirmation", "Your personal data is being erased", $"""
            {occasion.Opening(request.Id)} This is the last mail you get from Helio: once it and the
            notices below have gone out, your account is erased and you can no longer sign in.

            {ErasureStatement.Text()}

            We asked everyone your data went to to delete it too: {organisationsTold} organisation(s) your plants were shared with,
            {readersTold} owner(s) of API accounts that could read your plants, and your {webhooks.Count} webhook(s) (an "{WebhookEvent}" event).
            {(ownReaders.Count == 0 ? "" : $"Your own API accounts {string.Join(", ", ownReaders)} are closed: delete what your integrations copied.")}
            """, cancellationToken);

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["organisationsNotified"] = organisationsTold.ToString(CultureInfo.InvariantCulture),
            ["apiAccountOwnersNotified"] = readersTold.ToString(CultureInfo.InvariantCulture),
            ["webhooksNotified"] = webhooks.Count.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>One mail to each admin of the organisation; false when it has none left to tell.</summary>
    private async Task<bool> ToAdminsAsync(Guid organisationId, string text, CancellationToken cancellationToken)
    {
        var admins = await db.OrganisationMembers.Where(m => m.OrganisationId == organisationId && m.Role == OrganisationRole.Admin)
            .Select(m => m.UserId).ToListAsync(cancellationToken);
        foreach (var admin in admins)
        {
            await mails.ToUserAsync(admin, "privacy-erasure-notice", "Please delete data of an erased account", text, cancellationToken);
        }
        return admins.Count > 0;
    }

    private sealed record AccountDeletedPayload(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("webhookId")] Guid WebhookId,
        [property: JsonPropertyName("sentAt")] DateTimeOffset SentAt,
        [property: JsonPropertyName("message")] string Message);
}
