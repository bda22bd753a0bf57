using System.Globalization;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// One decision Helio took by itself about the user's plants or account, with what it rested on: the rule, the inputs
/// and the thresholds (GDPR Art. 22, the policy's "automated decision-making"). <see cref="Id"/> is what a review
/// request names. <see cref="ReviewRequestId"/> is the user's latest review request about it, if any.
/// </summary>
public sealed record AutomatedDecisionDto(
    string Id,
    string Kind,
    DateTimeOffset DecidedAt,
    Guid? PlantId,
    string? PlantName,
    string Title,
    string? State,
    string Rule,
    string Summary,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Thresholds,
    Guid? ReviewRequestId);

/// <summary>
/// The automated decisions about a user: every alarm on the plants they own (faults, offline, communication, their own
/// rules, underperformance flags), each with the explanation stored when it was raised (Features/Alarms), and every
/// sign-in Helio refused because the account was locked after repeated wrong passwords (the only automatic refusal of
/// a person Helio makes; the audit trail holds it). Newest first, each kind up to its limit.
/// </summary>
internal sealed class AutomatedDecisions(HelioDbContext db)
{
    public const int MaxAlarms = 200;
    public const int MaxRefusals = 50;
    private const string AlarmPrefix = "alarm:";
    private const string RefusalPrefix = "sign-in-refusal:";

    public async Task<IReadOnlyList<AutomatedDecisionDto>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var reviews = await db.PrivacyRequests.AsNoTracking()
            .Where(r => r.UserId == userId && r.Kind == RequestKind.Review && r.Decision != null && r.State != RequestState.Expired)
            .OrderBy(r => r.ReceivedAt).Select(r => new { r.Decision, r.Id }).ToListAsync(cancellationToken);
        var latestReview = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var review in reviews)
        {
            latestReview[review.Decision!] = review.Id;
        }
        var decisions = new List<AutomatedDecisionDto>();
        var alarms = await (
            from a in db.Alarms
            join p in db.Plants on a.PlantId equals p.Id
            where p.OwnerId == userId
            orderby a.RaisedAt descending
            select new { a.Id, a.PlantId, PlantName = p.Name, a.Title, a.State, a.RaisedAt, a.Explanation }).AsNoTracking().Take(MaxAlarms).ToListAsync(cancellationToken);
        foreach (var alarm in alarms)
        {
            var why = AlarmExplanation.FromJson(alarm.Explanation);
            var id = AlarmPrefix + alarm.Id;
            decisions.Add(new AutomatedDecisionDto(id, "alarm", alarm.RaisedAt, alarm.PlantId, alarm.PlantName, alarm.Title,
                alarm.State.ToString().ToLowerInvariant(), why.Rule, why.Summary, why.Inputs, why.Thresholds, Review(id)));
        }
        foreach (var refusal in await LockedSignInsAsync(userId, null, cancellationToken))
        {
            var id = RefusalPrefix + refusal.Seq.ToString(CultureInfo.InvariantCulture);
            decisions.Add(new AutomatedDecisionDto(id, "sign-in-refusal", refusal.At, null, null, "A sign-in to your account was refused", null,
                "account-lockout",
                $"The account was locked because the password was wrong {CheckCredentials.MaxFailures} times in a row; sign-ins are refused until the lock ends by itself.",
                new Dictionary<string, string> { ["wrong passwords in a row"] = CheckCredentials.MaxFailures.ToString(CultureInfo.InvariantCulture) },
                new Dictionary<string, string>
                {
                    ["wrong passwords before a lock"] = CheckCredentials.MaxFailures.ToString(CultureInfo.InvariantCulture),
                    ["lock duration"] = $"{CheckCredentials.LockoutDuration.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes",
                },
                Review(id)));
        }
        return [.. decisions.OrderByDescending(d => d.DecidedAt)];

        Guid? Review(string id) => latestReview.TryGetValue(id, out var request) ? request : null;
    }

    /// <summary>Whether <paramref name="decision"/> names one of the user's decisions (as <see cref="ListAsync"/> does).</summary>
    public async Task<bool> ExistsAsync(Guid userId, string decision, CancellationToken cancellationToken)
    {
        if (decision.StartsWith(AlarmPrefix, StringComparison.Ordinal) && Guid.TryParse(decision[AlarmPrefix.Length..], out var alarmId))
        {
            return await (
                from a in db.Alarms
                join p in db.Plants on a.PlantId equals p.Id
                where a.Id == alarmId && p.OwnerId == userId
                select a.Id).AnyAsync(cancellationToken);
        }
        if (decision.StartsWith(RefusalPrefix, StringComparison.Ordinal)
            && long.TryParse(decision[RefusalPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return (await LockedSignInsAsync(userId, seq, cancellationToken)).Count == 1;
        }
        return false;
    }

    /// <summary>The trail's refused sign-ins of a locked account about this user (failures of a typed password are the
    /// person's, not decisions).</summary>
    private async Task<List<AuditEntry>> LockedSignInsAsync(Guid userId, long? seq, CancellationToken cancellationToken)
    {
        var me = await db.AuditPseudonyms.Where(p => p.UserId == userId).Select(p => (Guid?)p.Pseudonym).FirstOrDefaultAsync(cancellationToken);
        if (me is null)
        {
            return [];
        }
        var query = db.AuditEntries.AsNoTracking().Where(e => e.SubjectId == me && e.Action == AuditActions.SignInFailed && e.Detail == LockedDetail);
        if (seq is { } one)
        {
            query = query.Where(e => e.Seq == one);
        }
        return await query.OrderByDescending(e => e.Seq).Take(MaxRefusals).ToListAsync(cancellationToken);
    }

    /// <summary>What <see cref="CheckCredentials"/> records for a sign-in refused while the account is locked.</summary>
    private const string LockedDetail = """{"reason":"locked"}""";
}
