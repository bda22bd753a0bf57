using System.Text.Encodings.Web;
using Helio.Server.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// The read routes' scheme: a person's bearer token if it is one, otherwise an API account's token. Trying them in
/// this order (rather than both, as a policy with two schemes does) keeps people's requests — the hot path — free of
/// OpenIddict's attempt to read a token that is not its own, and of the log lines that attempt writes.
/// </summary>
internal sealed class BearerOrApiToken(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "Helio.BearerOrApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // A person's token whose session has ended still "succeeds" here, anonymous (SessionValidation): it is a
        // person's token all the same, and must not be tried as an API account's.
        var result = await Context.AuthenticateAsync(AuthSchemes.Bearer);
        if (!result.Succeeded)
        {
            result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        }
        return result.Succeeded ? AuthenticateResult.Success(new AuthenticationTicket(result.Principal!, result.Properties, Name)) : AuthenticateResult.NoResult();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Context.ChallengeAsync(AuthSchemes.Bearer, properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Context.ForbidAsync(AuthSchemes.Bearer, properties);
}
