namespace Helio.Server.Features.Web.Pages.Dashboard;

/// <summary>
/// The plant map's background tiles, from the setting <c>Web:MapTileUrl</c>: a URL template with {z}, {x} and {y}
/// (default OpenStreetMap's standard tiles), or empty for no tiles (markers only). The browser fetches tiles from
/// that host itself, which tells the tile server the visitor's address and the area looked at; the content security
/// policy allows images from exactly this origin and no other (SecurityHeaders).
/// </summary>
public static class MapTiles
{
    public const string Setting = "Web:MapTileUrl";
    public const string Default = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The tile URL template, or null for a map without tiles. Throws at start-up for a malformed setting.</summary>
    public static string? Url(IConfiguration configuration)
    {
        var value = configuration[Setting] ?? Default;
        if (value.Length == 0)
        {
            return null;
        }
        // The host must be literal (no {s} subdomains): the CSP names one origin.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Contains('{', StringComparison.Ordinal)
            || !value.Contains("{z}", StringComparison.Ordinal) || !value.Contains("{x}", StringComparison.Ordinal) || !value.Contains("{y}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Setting} must be an http(s) URL with a fixed host and {{z}}, {{x}} and {{y}} in it, e.g. {Default}, or empty for a map without tiles.");
        }
        return value;
    }

    /// <summary>The origin the browser loads tiles from ("https://tile.openstreetmap.org"), or null without tiles.</summary>
    public static string? Origin(IConfiguration configuration) =>
        Url(configuration) is { } url ? new Uri(url).GetLeftPart(UriPartial.Authority) : null;
}
