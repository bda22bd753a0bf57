using System.Security.Claims;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// How an API account's principal is told from a person's. Only the token endpoint (<see cref="IssueApiToken"/>)
/// puts this claim into a token, and only OpenIddict's validation reads such tokens; sessions never carry it.
/// </summary>
public static class ApiAccountClaims
{
    public const string Kind = "helio_kind";
    public const string ApiAccount = "api-account";

    public static bool IsApiAccount(this ClaimsPrincipal principal) => principal.HasClaim(Kind, ApiAccount);
}
