using System.Security.Claims;
using Helio.Server.Platform.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// <c>POST /connect/token</c>, client-credentials grant. OpenIddict has parsed the request and checked the client id
/// and secret before this runs (a wrong secret never gets here); this decides who the token is for. Its subject
/// (and name identifier) is the API account's id, which is what <see cref="Plants.PlantAccess"/> looks up; it carries
/// no scope and no personal data. OpenIddict then signs the access token with Data Protection and records its entry.
/// </summary>
internal static class IssueApiToken
{
    public static async Task<IResult> HandleAsync(HttpContext context, HelioDbContext db, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict server did not handle this request.");
        var accountId = await db.ApiAccounts.AsNoTracking()
            .Where(a => a.ClientId == request.ClientId && a.ClosedAt == null)
            .Select(a => (Guid?)a.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (!request.IsClientCredentialsGrantType() || accountId is not { } id)
        {
            // Only reachable in a race with closing the account: its client is deleted in the same transaction.
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidClient,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The client is not an open API account.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, id.ToString());
        identity.SetClaim(ClaimTypes.NameIdentifier, id.ToString());
        identity.SetClaim(ApiAccountClaims.Kind, ApiAccountClaims.ApiAccount);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
