using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Usage;

/// <summary>
/// Counts a page view — a signed-in person's successful GET of a web page — when, and only when, their latest
/// "analytics" consent is given: withdrawn, and the next page they open is not counted. What is stored is the page's
/// route template and the UTC day, added to a counter (<see cref="PageViewCount"/>); nothing about the person.
/// </summary>
internal sealed class PageViewCounter(RequestDelegate next, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!HttpMethods.IsGet(context.Request.Method)
            || context.Response.StatusCode != StatusCodes.Status200OK
            || context.User.Identity?.IsAuthenticated != true
            || context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } page } endpoint
            || endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        {
            return;
        }
        var db = context.RequestServices.GetRequiredService<HelioDbContext>();
        var consents = context.RequestServices.GetRequiredService<ConsentQueries>();
        if (!await consents.IsGivenAsync(context.User.UserId(), ConsentPurposes.Analytics, context.RequestAborted))
        {
            return;
        }
        await CountAsync(db, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), page, context.RequestAborted);
    }

    /// <summary>One statement that both databases run atomically, so concurrent views on several nodes all count.</summary>
    internal static Task CountAsync(HelioDbContext db, DateOnly day, string page, CancellationToken cancellationToken)
    {
        page = page.Length > PageViewCountConfiguration.MaxPageLength ? page[..PageViewCountConfiguration.MaxPageLength] : page;
        return db.Database.ExecuteSqlAsync(
            $"""INSERT INTO page_view_counts ("Day", "Page", "Views") VALUES ({day}, {page}, 1) ON CONFLICT ("Day", "Page") DO UPDATE SET "Views" = page_view_counts."Views" + 1""",
            cancellationToken);
    }
}
