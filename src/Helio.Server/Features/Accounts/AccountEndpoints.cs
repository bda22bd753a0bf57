using System.Security.Claims;
using Helio.Server.Features.Privacy.Policy;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Accounts;

public sealed record TokenRequest(string? Login, string? Password, string? Code);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>/api/v1/account (anonymous flows), /api/v1/auth (tokens) and /api/v1/me (the signed-in user).</summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/v1/account").WithTags("Account").AllowAnonymous().RequireRateLimiting(RateLimits.Credentials);
        account.MapPost("/register", async ([FromBody] RegisterRequest request, RegisterAccount handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToResult(r => TypedResults.Created((string?)null, new { status = r.AwaitingGuardian ? "guardian-confirmation-sent" : "confirmation-sent" })))
            .WithSummary("Register")
            .WithDescription("A confirmation link is mailed. Below the country's age of digital consent a parent or guardian is mailed a link too, and the account waits for them. The answer is the same when the address already has an account.");
        account.MapPost("/confirm-email", async ([FromBody] ConfirmEmailRequest request, ConfirmEmail handler, CancellationToken ct) =>
            (await handler.HandleAsync(request, ct)).ToResult(_ => TypedResults.NoContent()));
        account.MapPost("/confirm-email-change", async ([FromBody] ConfirmEmailChangeRequest request, ChangeEmail handler, CancellationToken ct) =>
            (await handler.ConfirmAsync(request, ct)).ToResult(_ => TypedResults.NoContent()));
        account.MapPost("/forgot-password", async ([FromBody] ForgotPasswordRequest request, ForgotPassword handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToResult(_ => TypedResults.Accepted((string?)null)))
            .WithSummary("Forgot password").WithDescription("Mails a reset link if the address has an account; the answer is the same either way.");
        account.MapPost("/reset-password", async ([FromBody] ResetPasswordRequest request, ResetPassword handler, CancellationToken ct) =>
            (await handler.HandleAsync(request, ct)).ToResult(_ => TypedResults.NoContent()));

        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapPost("/token", async ([FromBody] TokenRequest request, CheckCredentials credentials, Sessions sessions, CancellationToken ct) =>
            {
                var outcome = await credentials.SignInAsync(request.Login, request.Password, request.Code, ct);
                if (!outcome.IsSuccess)
                {
                    return outcome.Message == CheckCredentials.TwoFactorRequired
                        ? TypedResults.Problem(statusCode: 401, title: "Unauthorized.", detail: outcome.Message, extensions: new Dictionary<string, object?> { ["twoFactorRequired"] = true })
                        : outcome.ToProblem();
                }
                return TypedResults.Ok(await sessions.StartApiSessionAsync(outcome.Value!, ct));
            })
            .AllowAnonymous().RequireRateLimiting(RateLimits.Credentials)
            .WithSummary("Sign in").WithDescription("Exchanges a login (e-mail or +phone), password and, with 2FA, a code for an access and a refresh token.");
        auth.MapPost("/refresh", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> ([FromBody] RefreshRequest request, Sessions sessions, CancellationToken ct) =>
                request.RefreshToken is { } token && await sessions.RefreshAsync(token, ct) is { } tokens
                    ? TypedResults.Ok(tokens)
                    : TypedResults.Problem(statusCode: 401, title: "Unauthorized.", detail: "The refresh token is invalid, expired or revoked."))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Credentials);
        auth.MapPost("/logout", async (ClaimsPrincipal user, Sessions sessions, CancellationToken ct) =>
            {
                await sessions.EndAsync(user.SessionIdOf(), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccountsModule.ApiPolicy)
            // Someone who will not accept a changed privacy policy may still leave.
            .AllowBeforePolicyAcceptance()
            .WithSummary("Sign out").WithDescription("Ends this session: its access and refresh tokens stop working at once.");

        var me = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization(AccountsModule.ApiPolicy);
        me.MapGet("/", async Task<Results<Ok<ProfileDto>, NotFound>> (ClaimsPrincipal user, GetProfile handler, CancellationToken ct) =>
            await handler.HandleAsync(user.UserId(), ct) is { } profile ? TypedResults.Ok(profile) : TypedResults.NotFound());
        me.MapPut("/", async ([FromBody] UpdateProfileRequest request, ClaimsPrincipal user, UpdateProfile handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()));
        me.MapPost("/password", async ([FromBody] ChangePasswordRequest request, ClaimsPrincipal user, ChangePassword handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), user.SessionIdOf(), request, ct)).ToResult(_ => TypedResults.NoContent()));
        me.MapPost("/email", async ([FromBody] ChangeEmailRequest request, ClaimsPrincipal user, ChangeEmail handler, CancellationToken ct) =>
                (await handler.RequestAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.Accepted((string?)null)))
            .WithSummary("Change e-mail").WithDescription("Mails a confirmation link to the new address; the change applies when it is followed.");
        me.MapPost("/phone", async ([FromBody] ChangePhoneRequest request, ClaimsPrincipal user, ChangePhone handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()));
        me.MapPost("/two-factor/setup", async ([FromBody] PasswordConfirmation request, ClaimsPrincipal user, TwoFactor handler, CancellationToken ct) =>
            (await handler.SetUpAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
        me.MapPost("/two-factor/enable", async ([FromBody] EnableTwoFactorRequest request, ClaimsPrincipal user, TwoFactor handler, CancellationToken ct) =>
            (await handler.EnableAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
        me.MapPost("/two-factor/disable", async ([FromBody] PasswordConfirmation request, ClaimsPrincipal user, TwoFactor handler, CancellationToken ct) =>
            (await handler.DisableAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()));
        me.MapPost("/two-factor/recovery-codes", async ([FromBody] PasswordConfirmation request, ClaimsPrincipal user, TwoFactor handler, CancellationToken ct) =>
            (await handler.NewRecoveryCodesAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
    }
}
