namespace Helio.Server.Features.Web;

/// <summary>Where a form may send the browser after it is done.</summary>
internal static class LocalUrl
{
    /// <summary>
    /// A returnUrl comes from the address bar, so anyone can craft one: only a path on this site is
    /// followed. "//evil.example" and "/\evil.example" are absolute URLs to browsers, hence refused.
    /// </summary>
    public static string OrDefault(string? url, string fallback)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
        {
            return fallback;
        }
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return fallback;
        }
        foreach (var c in url)
        {
            if (char.IsControl(c))
            {
                return fallback;
            }
        }
        return url;
    }
}
