using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Features.Privacy.Policy;

namespace Helio.Server.Features.Privacy;

/// <summary>
/// The privacy centre (issue 7). Each part registers itself in a method of its own (policy versions, consent, ...), so
/// parts arrive without touching each other; the privacy officer's policies are shared by all of them.
/// </summary>
public static class PrivacyModule
{
    /// <summary>API callers with the dpo platform role (the privacy officer).</summary>
    public const string PrivacyOfficerPolicy = "privacy-officer";

    /// <summary>Web pages for the dpo platform role (cookie).</summary>
    public const string PrivacyOfficerWebPolicy = "privacy-officer-web";

    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PrivacyOfficerPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Bearer).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.PrivacyOfficer)))
            .AddPolicy(PrivacyOfficerWebPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Cookie).RequireAuthenticatedUser()
                .AddRequirements(new PlatformRoleRequirement(Roles.PrivacyOfficer)));
        builder.AddPolicy();
        builder.AddConsent();
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
        return app;
    }
}
