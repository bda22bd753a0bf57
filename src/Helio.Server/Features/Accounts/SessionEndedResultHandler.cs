using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// A token or cookie whose session has ended still "authenticates" (its signature is valid), and
/// <see cref="SessionValidation"/> then turns it anonymous; the framework would answer 403 for that.
/// The caller is not signed in any more, so the right answer is a challenge: 401 for the API, the
/// sign-in page for the web.
/// </summary>
internal sealed class SessionEndedResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated != true)
        {
            authorizeResult = PolicyAuthorizationResult.Challenge();
        }
        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
