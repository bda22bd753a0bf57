using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Usage;

/// <summary>Product-improvement analytics: consented, aggregated page-view counters (ADR 0022), read by admins.</summary>
public static class UsageModule
{
    public static WebApplicationBuilder AddUsage(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ListPageViews>();
        return builder;
    }

    public static WebApplication UseUsage(this WebApplication app)
    {
        app.UseMiddleware<PageViewCounter>();
        return app;
    }

    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/usage/page-views", async (DateOnly? from, DateOnly? to, ListPageViews handler, CancellationToken ct) =>
                (await handler.HandleAsync(from, to, ct)).ToResult(TypedResults.Ok))
            .RequireAuthorization(AccountsModule.AdminPolicy).WithTags("Admin")
            .WithSummary("Page views").WithDescription("Views per page and UTC day, counted only for users who consented to analytics; no one's identity is kept.");
        return app;
    }
}
