using Helio.Server.Features.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Helio.Server.Features.Web;

/// <summary>POST /account/sign-out: the layout's button. A form post, so it carries an antiforgery token.</summary>
internal static class SignOutEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/account/sign-out", async (HttpContext context, Sessions sessions, CancellationToken ct) =>
            {
                var signedIn = context.User.Identity?.IsAuthenticated == true;
                // The metadata below makes UseAntiforgery check the token, but only endpoints that bind form
                // fields act on the result by themselves; this one binds none, so it looks for itself.
                // Without the check any site could end our users' sessions. A cookie whose session has
                // already ended no longer matches its token (the user is anonymous now); clearing such a
                // dead cookie harms no one, so that case goes through.
                if (signedIn && context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    return Results.BadRequest();
                }
                if (signedIn)
                {
                    // End the session row too: a copied cookie must stop working, not merely this browser's.
                    await sessions.EndAsync(context.User.SessionIdOf(), ct);
                }
                await context.SignOutAsync(AuthSchemes.Cookie);
                return Results.Redirect("/");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
}
