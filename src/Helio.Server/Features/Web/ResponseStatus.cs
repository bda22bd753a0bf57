namespace Helio.Server.Features.Web;

/// <summary>Status codes for pages that answer with a page of their own (not found, a refused form).</summary>
internal static class ResponseStatus
{
    /// <summary>
    /// Blazor compares the status before and after rendering; when it changed and status code pages are on
    /// (they are, for the API's problem details), it drops the rendered page and lets that middleware write
    /// a bare problem+json body instead. Setting the status as the headers go out keeps the page.
    /// </summary>
    public static void Set(HttpContext http, int status) =>
        http.Response.OnStarting(() =>
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        });
}
