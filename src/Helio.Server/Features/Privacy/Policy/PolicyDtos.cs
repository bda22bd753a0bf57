namespace Helio.Server.Features.Privacy.Policy;

/// <summary>A version's facts. <paramref name="State"/>: draft, scheduled (published, not yet in effect), current or archived.</summary>
public sealed record PolicyVersionDto(
    string Version, string Title, string State, bool Material, string? Summary, DateTimeOffset? EffectiveAt, DateTimeOffset? PublishedAt, DateTimeOffset CreatedAt);

public sealed record PolicyDocumentDto(PolicyVersionDto Version, string BodyMarkdown);

public sealed record DraftPolicyRequest(string? Version, string? Title, string? BodyMarkdown, string? Summary, bool? Material);

/// <param name="EffectiveAt">When it takes effect; now when left out. Never in the past, never before a version already published.</param>
public sealed record PublishPolicyRequest(DateTimeOffset? EffectiveAt);

/// <summary>The signed-in user's standing: the current version, the one they accepted, whether they must accept the
/// current one before anything else, and a minor change to tell them about.</summary>
public sealed record MyPolicyDto(string? Current, string Accepted, bool AcceptanceRequired, PolicyNoticeDto? Notice);

public sealed record PolicyNoticeDto(string Version, string Title, string? Summary, DateTimeOffset EffectiveAt);

public sealed record PolicyVersionRequest(string? Version);

public static class PolicyStates
{
    public const string Draft = "draft";
    public const string Scheduled = "scheduled";
    public const string Current = "current";
    public const string Archived = "archived";
}
