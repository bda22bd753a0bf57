using System.Globalization;
using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// Publishes a draft with the date it takes effect: now, or later (until then the version before stays current). Each
/// version takes effect after every one published before it, so "the current policy" is always the last to have taken
/// effect. A material change queues a notice to every user (a <see cref="Mailing"/>, sent in batches by
/// <see cref="MailingWorker"/>), at publication, so people hear of it before it applies.
/// </summary>
internal sealed class PublishPolicy(HelioDbContext db, PolicyTimeline timeline, PolicyQueries queries, Mailings mailings, AccountLinks links, AuditTrail audit, TimeProvider time)
{
    public const string NoticeTemplate = "policy-notice";
    /// <summary>How far ahead a version may be scheduled.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(366);
    /// <summary>A form filled in a minute ago still means "now".</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    public async Task<Outcome<PolicyDocumentDto>> HandleAsync(Guid officerId, string version, PublishPolicyRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var draft = await db.PolicyVersions.FirstOrDefaultAsync(p => p.Version == version, cancellationToken);
        if (draft is null)
        {
            return Refusal.NotFound;
        }
        if (draft.PublishedAt is not null)
        {
            return Refusal.Conflict("This version is published already.");
        }
        var effectiveAt = request.EffectiveAt ?? now;
        var latest = await db.PolicyVersions.Where(p => p.PublishedAt != null).MaxAsync(p => p.EffectiveAt, cancellationToken);
        if (effectiveAt < now - Slack)
        {
            return Refusal.Invalid("effectiveAt", "Must not be in the past: a policy cannot apply before people could read it.");
        }
        if (effectiveAt > now + MaxLeadTime)
        {
            return Refusal.Invalid("effectiveAt", $"Must be within {MaxLeadTime.TotalDays:0} days from now.");
        }
        effectiveAt = effectiveAt < now ? now : effectiveAt;
        if (latest is { } last && effectiveAt <= last)
        {
            return Refusal.Invalid("effectiveAt", $"Must be after {last.ToString("u", CultureInfo.InvariantCulture)}, when the last published version takes effect.");
        }
        draft.EffectiveAt = effectiveAt;
        draft.PublishedAt = now;
        draft.PublishedBy = officerId;
        if (draft.Material)
        {
            mailings.Queue(NoticeTemplate, Mailings.Everyone, $"Helio's privacy policy changes on {Day(effectiveAt)}",
                $"We have changed Helio's privacy policy. Version {draft.Version}, “{draft.Title}”, takes effect on {Day(effectiveAt)} (UTC).\n\n" +
                $"What changes:\n{draft.Summary}\n\n" +
                $"Read the new version: {links.Base}/privacy/versions/{Uri.EscapeDataString(draft.Version)}\n\n" +
                "This is a material change: from that day on, Helio asks you to accept it when you next sign in, before anything else. " +
                $"Earlier versions stay readable at {links.Base}/privacy/archive.",
                officerId);
        }
        await audit.RecordAsync(new AuditRecord(AuditActions.PolicyPublished, AuditActor.User(officerId), Target: version,
            Detail: JsonSerializer.Serialize(new { material = draft.Material, effectiveAt })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        timeline.Forget();
        return (await queries.GetAsync(version, includeDrafts: true, cancellationToken)).Value!;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture);
}
