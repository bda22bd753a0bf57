using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Web;

/// <summary>The web UI: Blazor components rendered on the server (static SSR), forms posted with antiforgery.</summary>
public static class WebUiModule
{
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        var https = TlsOptions.From(builder.Configuration).ServesHttps;
        builder.Services.AddAntiforgery(o =>
        {
            if (https)
            {
                o.Cookie.Name = "__Host-helio-af";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            }
            else
            {
                // Without TLS, Helio serves plain HTTP (in Production on loopback only, see Tls), and the
                // antiforgery system refuses to issue a Secure cookie over plain HTTP, so every form would
                // fail. The token cookie is then sent as the request came; __Host- demands Secure, hence
                // the other name.
                o.Cookie.Name = "helio-af";
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        SignOutEndpoint.Map(app);
        return app;
    }
}
