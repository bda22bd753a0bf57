using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// Policy Markdown → HTML. Raw HTML in the Markdown is not passed through but shown as text, and links go only to web,
/// mail and in-page addresses, so a policy cannot carry a script or a form into the public pages (the privacy
/// officer's account must not be a way to attack every visitor).
/// </summary>
public static class PolicyText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoIdentifiers()
        .DisableHtml()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(l => !IsSafe(l.Url)))
        {
            link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>().Where(l => !l.IsEmail && !IsSafe(l.Url)))
        {
            link.Url = "#";
        }
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.RelativeOrAbsolute, out var uri))
        {
            return false;
        }
        // A relative address has no scheme to abuse; browsers ignore leading spaces and control characters, hence Trim.
        return !uri.IsAbsoluteUri ? !url.Contains(':', StringComparison.Ordinal) : uri.Scheme is "https" or "http" or "mailto";
    }
}
