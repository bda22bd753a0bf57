using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy;

/// <summary>
/// The privacy centre (issue 7). Each part registers itself in a method of its own, so that parts built side by side
/// meet here without touching each other: requests, "My data", the console and the contact (Requests/).
/// </summary>
public static class PrivacyModule
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.AddRequests();
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapRequests();
        return app;
    }
}
