using Helio.Server.Features.Web.Pages.Dashboard;

namespace Helio.Server.Platform.Http;

/// <summary>
/// Headers on every response: no sniffing, no framing, a strict content security policy, no referrer leaks, and no
/// caching of anything that does not say otherwise (API answers and pages carry personal data, new keys, codes).
/// </summary>
public static class SecurityHeaders
{
    // Pages use only their own scripts and styles; images may be data: URIs (QR codes) or map tiles from the one
    // tile server configured (Web:MapTileUrl), which the plant map loads in the browser.
    private static string ContentSecurityPolicy(string? tileOrigin) =>
        $"default-src 'self'; img-src 'self' data:{(tileOrigin is null ? "" : " " + tileOrigin)}; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var contentSecurityPolicy = ContentSecurityPolicy(MapTiles.Origin(app.Configuration));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!context.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentSecurityPolicy = contentSecurityPolicy;
            }
            // Static assets set their own (long) caching; everything else is stored nowhere on the way.
            context.Response.OnStarting(() =>
            {
                if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            await next();
        });
        return app;
    }
}
