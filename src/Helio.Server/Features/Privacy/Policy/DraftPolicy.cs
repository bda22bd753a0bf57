using System.Text.Json;
using System.Text.RegularExpressions;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// The privacy officer drafts a new version, and edits it until it is published. Nobody else sees a draft. A published
/// version never changes: a correction is a new version.
/// </summary>
internal sealed partial class DraftPolicy(HelioDbContext db, PolicyQueries queries, AuditTrail audit, TimeProvider time)
{
    /// <summary>Drafts waiting at once: enough for work in progress, a bound on what one account can pile up.</summary>
    public const int MaxDrafts = 20;

    public async Task<Outcome<PolicyDocumentDto>> CreateAsync(Guid officerId, DraftPolicyRequest request, CancellationToken cancellationToken)
    {
        var validation = Validate(request);
        var version = request.Version?.Trim() ?? "";
        if (version.Length == 0)
        {
            validation.Add("version", "Required.");
        }
        else if (version.Length > PolicyVersionConfiguration.MaxVersionLength || !VersionPattern().IsMatch(version))
        {
            validation.Add("version", $"Letters, digits, dots and hyphens, starting with a letter or digit, at most {PolicyVersionConfiguration.MaxVersionLength} characters (e.g. 2.0).");
        }
        else if (await db.PolicyVersions.AnyAsync(p => p.Version == version, cancellationToken))
        {
            validation.Add("version", "A version with this label exists already.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (await db.PolicyVersions.CountAsync(p => p.PublishedAt == null, cancellationToken) >= MaxDrafts)
        {
            return Refusal.Conflict($"At most {MaxDrafts} drafts can wait at once; publish or edit one of them.");
        }
        var draft = new PolicyVersion
        {
            Version = version,
            Title = request.Title!.Trim(),
            BodyMarkdown = request.BodyMarkdown!,
            Summary = request.Summary!.Trim(),
            Material = request.Material ?? false,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = officerId,
        };
        db.PolicyVersions.Add(draft);
        await audit.RecordAsync(new AuditRecord(AuditActions.PolicyDrafted, AuditActor.User(officerId), Target: version,
            Detail: JsonSerializer.Serialize(new { material = draft.Material })), cancellationToken);
        return (await queries.GetAsync(version, includeDrafts: true, cancellationToken)).Value!;
    }

    public async Task<Outcome<PolicyDocumentDto>> UpdateAsync(Guid officerId, string version, DraftPolicyRequest request, CancellationToken cancellationToken)
    {
        var draft = await db.PolicyVersions.FirstOrDefaultAsync(p => p.Version == version, cancellationToken);
        if (draft is null)
        {
            return Refusal.NotFound;
        }
        if (draft.PublishedAt is not null)
        {
            return Refusal.Conflict("A published version never changes; draft a new version instead.");
        }
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        draft.Title = request.Title!.Trim();
        draft.BodyMarkdown = request.BodyMarkdown!;
        draft.Summary = request.Summary!.Trim();
        draft.Material = request.Material ?? draft.Material;
        await audit.RecordAsync(new AuditRecord(AuditActions.PolicyDrafted, AuditActor.User(officerId), Target: version,
            Detail: JsonSerializer.Serialize(new { material = draft.Material, edited = true })), cancellationToken);
        return (await queries.GetAsync(version, includeDrafts: true, cancellationToken)).Value!;
    }

    private static Validation Validate(DraftPolicyRequest request) => new Validation()
        .Require("title", request.Title, PolicyVersionConfiguration.MaxTitleLength)
        .Require("bodyMarkdown", request.BodyMarkdown, PolicyVersionConfiguration.MaxBodyLength)
        .Require("summary", request.Summary, PolicyVersionConfiguration.MaxSummaryLength);

    [GeneratedRegex("^[0-9A-Za-z][0-9A-Za-z.-]*$")]
    private static partial Regex VersionPattern();
}
