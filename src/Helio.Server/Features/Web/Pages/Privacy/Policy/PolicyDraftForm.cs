using Helio.Server.Features.Privacy.Policy;

namespace Helio.Server.Features.Web.Pages.Privacy.Policy;

/// <summary>The draft form's model (new draft and edit).</summary>
public sealed class PolicyDraftForm
{
    public string? Version { get; set; }
    public string? Title { get; set; }
    public string? BodyMarkdown { get; set; }
    public string? Summary { get; set; }
    public bool Material { get; set; }

    public DraftPolicyRequest ToRequest() => new(Version, Title, BodyMarkdown, Summary, Material);
}
