using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Consent;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// Privacy-policy versions (ADR 0022): the privacy officer drafts and publishes them; everyone reads the current one
/// and the archive (pages under /privacy); a material change is mailed to every user and must be accepted before
/// anything else (<see cref="PolicyGate"/>); a minor one is a banner until dismissed.
/// </summary>
internal static class PolicyModule
{
    public static WebApplicationBuilder AddPolicy(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PolicyTimeline>();
        builder.Services.AddScoped<PolicyQueries>();
        builder.Services.AddScoped<PolicyStandings>();
        builder.Services.AddScoped<DraftPolicy>();
        builder.Services.AddScoped<PublishPolicy>();
        builder.Services.AddScoped<AcceptPolicy>();
        builder.Services.AddScoped<DismissPolicyNotice>();
        return builder;
    }

    public static WebApplication UsePolicyGate(this WebApplication app)
    {
        app.UseMiddleware<PolicyGate>();
        return app;
    }

    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        // The privacy officer's work. A draft is as missing as an unknown version to everyone else (the public pages).
        var admin = app.MapGroup("/api/v1/admin/privacy/policies").WithTags("Privacy").RequireAuthorization(AccountsModule.PrivacyOfficerPolicy);
        admin.MapGet("/", async (PolicyQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.AllAsync(ct)))
            .WithSummary("Policy versions").WithDescription("Every version, drafts included, newest first.");
        admin.MapPost("/", async ([FromBody] DraftPolicyRequest request, ClaimsPrincipal user, DraftPolicy handler, CancellationToken ct) =>
                (await handler.CreateAsync(user.UserId(), request, ct)).ToResult(p => TypedResults.Created($"/api/v1/admin/privacy/policies/{Uri.EscapeDataString(p.Version.Version)}", p)))
            .WithSummary("Draft a policy version");
        admin.MapGet("/{version}", async (string version, PolicyQueries queries, CancellationToken ct) =>
            (await queries.GetAsync(version, includeDrafts: true, ct)).ToResult(TypedResults.Ok));
        admin.MapPut("/{version}", async (string version, [FromBody] DraftPolicyRequest request, ClaimsPrincipal user, DraftPolicy handler, CancellationToken ct) =>
                (await handler.UpdateAsync(user.UserId(), version, request, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Edit a draft").WithDescription("Published versions never change (409).");
        admin.MapPost("/{version}/publish", async (string version, [FromBody] PublishPolicyRequest request, ClaimsPrincipal user, PublishPolicy handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), version, request, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Publish a draft")
            .WithDescription("Takes effect at effectiveAt (now if left out; never in the past, always after the last published version). A material change mails every user a notice.");

        // The signed-in user's side: open even while an acceptance is due, since this is how it is given.
        var me = app.MapGroup("/api/v1/me/policy").WithTags("Privacy").RequireAuthorization(AccountsModule.ApiPolicy).AllowBeforePolicyAcceptance();
        me.MapGet("/", async (ClaimsPrincipal user, PolicyStandings standings, CancellationToken ct) => TypedResults.Ok(await standings.MineAsync(user.UserId(), ct)))
            .WithSummary("My policy standing").WithDescription("The current version, the one accepted, whether acceptance is required, and a minor change to show.");
        me.MapPost("/accept", async ([FromBody] PolicyVersionRequest request, ClaimsPrincipal user, AcceptPolicy handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), request, ConsentMethods.Api, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Accept the current policy");
        me.MapPost("/dismiss", async ([FromBody] PolicyVersionRequest request, ClaimsPrincipal user, DismissPolicyNotice handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Dismiss the notice of a minor change");

        // The layout's banner posts here (a form with an antiforgery token); back to where it was shown.
        app.MapPost("/privacy/notice/dismiss", async ([FromForm] string? version, [FromForm] string? returnUrl, ClaimsPrincipal user, DismissPolicyNotice handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(user.UserId(), new PolicyVersionRequest(version), ct);
                return Results.Redirect(Web.LocalUrl.OrDefault(returnUrl, "/plants"));
            })
            .RequireAuthorization(AccountsModule.WebPolicy).ExcludeFromDescription();
        return app;
    }
}
