using Helio.Server.Features.Privacy.Incidents;
using Helio.Server.Features.Privacy.Lifecycle;

namespace Helio.Server.Features.Privacy;

/// <summary>
/// The privacy centre (issue 7). Each part registers itself in a method of its own, so parts are added side by side:
/// the account lifecycle (children, data regions, retention, erasure) and security incidents.
/// </summary>
public static class PrivacyModule
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.AddPrivacyLifecycle();
        builder.AddPrivacyIncidents();
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapPrivacyLifecycle();
        app.MapPrivacyIncidents();
        return app;
    }
}
