using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Features.Privacy.Deletion;
using Helio.Server.Features.Privacy.Export;
using Helio.Server.Features.Privacy.Incidents;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Policy;
using Helio.Server.Features.Privacy.Requests;

namespace Helio.Server.Features.Privacy;

/// <summary>
/// The privacy centre (issue 7). Each part registers itself in a method of its own: policy versions, consent,
/// data-subject requests ("My data", the console, the contact), the account lifecycle (children, data regions,
/// retention, erasure), deletion and cancellation, and security incidents. The privacy officer's policies are the platform roles' own
/// (<see cref="Accounts.AccountsModule.PrivacyOfficerPolicy"/>).
/// </summary>
public static class PrivacyModule
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.AddPolicy();
        builder.AddConsent();
        builder.AddRequests();
        builder.AddPrivacyExport();
        builder.AddPrivacyLifecycle();
        builder.AddPrivacyDeletion();
        builder.AddPrivacyIncidents();
        return builder;
    }

    /// <summary>Middleware: after authorisation (it needs to know who is calling), before the endpoints.</summary>
    public static WebApplication UsePrivacy(this WebApplication app)
    {
        app.UsePolicyGate();
        return app;
    }

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapPolicy();
        app.MapConsent();
        app.MapRequests();
        app.MapPrivacyExport();
        app.MapPrivacyLifecycle();
        app.MapPrivacyIncidents();
        return app;
    }
}
