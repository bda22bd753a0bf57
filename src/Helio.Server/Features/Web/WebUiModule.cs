namespace Helio.Server.Features.Web;

/// <summary>The web UI: Blazor components rendered on the server (static SSR), forms posted with antiforgery.</summary>
public static class WebUiModule
{
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__Host-helio-af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        return app;
    }
}
