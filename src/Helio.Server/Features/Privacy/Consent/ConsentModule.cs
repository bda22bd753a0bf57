using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Policy;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Privacy.Consent;

/// <summary>
/// Consent per purpose (ADR 0022): the user's current decisions and their history, changed through the API or the
/// account's privacy page. Open while a policy acceptance is due: withdrawing consent never waits for anything.
/// </summary>
internal static class ConsentModule
{
    public static WebApplicationBuilder AddConsent(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ConsentQueries>();
        builder.Services.AddScoped<Requests.IMyDataSection, ConsentsSection>();
        builder.Services.AddScoped<ConsentLedger>();
        builder.Services.AddScoped<ChangeConsents>();
        builder.Services.AddScoped<InstallerShares>();
        return builder;
    }

    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/consents").WithTags("Privacy").RequireAuthorization(AccountsModule.ApiPolicy).AllowBeforePolicyAcceptance();
        me.MapGet("/", async (ClaimsPrincipal user, ConsentQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.CurrentAsync(user.UserId(), ct)))
            .WithSummary("My consents").WithDescription("Each purpose: given or not, since when, under which policy version, and whether the service needs it.");
        me.MapPut("/", async ([FromBody] Dictionary<string, bool>? decisions, bool? endShares, ClaimsPrincipal user, ChangeConsents handler, InstallerShares shares, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(user.UserId(), decisions, ConsentMethods.Api, endShares == true, ct);
                if (outcome.Kind == OutcomeKind.Conflict && outcome.Message == ChangeConsents.SharesNeedConfirmation)
                {
                    // The confirmation lists what would end, by id and organisation (no plant names in an error).
                    var ending = await shares.ListAsync(user.UserId(), ct);
                    return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: outcome.Message + " Send the same request with ?endShares=true.",
                        extensions: new Dictionary<string, object?>
                        {
                            ["code"] = "installer-shares-would-end",
                            ["shares"] = ending.Select(s => new { s.ShareId, s.PlantId, s.OrganisationId, s.OrganisationName }).ToList(),
                        });
                }
                return outcome.ToResult(TypedResults.Ok);
            })
            .WithSummary("Give or withdraw consent")
            .WithDescription("Body: {\"purpose\": true|false, ...}. Withdrawing installer-sharing while plants are shared with installer organisations answers 409 listing the shares; ?endShares=true ends them.");
        me.MapGet("/history", async (ClaimsPrincipal user, ConsentQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.HistoryAsync(user.UserId(), ct)))
            .WithSummary("My consent history").WithDescription("Every decision, newest first; records are never changed or removed.");
        return app;
    }
}
