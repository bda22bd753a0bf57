using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Policy;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// Data-subject requests, "My data", automated decisions, the privacy officer's console, and the privacy contact with
/// its complaint form (ADR 0023). Registered by <see cref="PrivacyModule"/>.
/// </summary>
public static class RequestsModule
{
    public static WebApplicationBuilder AddRequests(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PrivacyRequestsOptions>().BindConfiguration(PrivacyRequestsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<RequestHistory>();
        services.AddScoped<CloseErasedRequests>();
        services.AddScoped<RequestMails>();
        services.AddScoped<RequestQueries>();
        services.AddScoped<RequestIntake>();
        services.AddScoped<RequestChange>();
        services.AddScoped<RequestFulfilments>();
        services.AddScoped<AutomatedDecisions>();
        services.AddScoped<SubmitRequest>();
        services.AddScoped<VerifyRequest>();
        services.AddScoped<SendNewCode>();
        services.AddScoped<SubmitComplaint>();
        services.AddScoped<StartRequest>();
        services.AddScoped<CompleteRequest>();
        services.AddScoped<RefuseRequest>();
        services.AddScoped<ExtendRequest>();
        services.AddScoped<RecordFee>();
        services.AddScoped<RepairReadings>();
        services.AddScoped<GetMyData>();
        services.AddSingleton<RequestReminders>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestReminders>());
        return builder;
    }

    public static IEndpointRouteBuilder MapRequests(this IEndpointRouteBuilder app)
    {
        // The requester's side: their own requests only; anyone else's id answers like a missing one (404), before the
        // body is looked at. Submitting, verifying and asking for a code check secrets: the credentials rate limit.
        // Someone who will not accept a changed policy keeps their rights: a copy, deletion, cancellation, a complaint.
        var me = app.MapGroup("/api/v1/me").WithTags("Privacy").RequireAuthorization(AccountsModule.ApiPolicy).AllowBeforePolicyAcceptance();
        me.MapGet("/data", async (ClaimsPrincipal user, GetMyData handler, CancellationToken ct) =>
                await handler.HandleAsync(user.UserId(), ct) is { } data ? Results.Ok(data) : NotFound())
            .WithSummary("My data").WithDescription("Everything Helio holds about the caller; never password hashes, 2FA secrets, recovery codes or blind indexes. Audited.");
        me.MapGet("/requests", async (ClaimsPrincipal user, RequestQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.MineAsync(user.UserId(), ct)));
        me.MapPost("/requests", async ([FromBody] SubmitRequestBody body, ClaimsPrincipal user, SubmitRequest handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), body, ct)).ToResult(r => TypedResults.Accepted($"/api/v1/me/requests/{r.Id}", r)))
            .RequireRateLimiting(RateLimits.Credentials)
            .WithSummary("Make a data-subject request")
            .WithDescription("kind: export, transfer, correction, deletion, cancellation or review; the password re-authenticates, and a one-time code is mailed to the confirmed address.");
        me.MapGet("/requests/{requestId:guid}", async (Guid requestId, ClaimsPrincipal user, RequestQueries queries, CancellationToken ct) =>
            await queries.MineAsync(user.UserId(), requestId, ct) is { } request ? Results.Ok(request) : NotFound());
        me.MapPost("/requests/{requestId:guid}/verify", async (Guid requestId, [FromBody] VerifyRequestBody body, ClaimsPrincipal user, VerifyRequest handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok))
            .RequireRateLimiting(RateLimits.Credentials)
            .WithSummary("Verify a request").WithDescription("The mailed code: 10 minutes, 3 tries, single use.");
        me.MapPost("/requests/{requestId:guid}/code", async (Guid requestId, [FromBody] NewCodeBody body, ClaimsPrincipal user, SendNewCode handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(r => TypedResults.Accepted($"/api/v1/me/requests/{r.Id}", r)))
            .RequireRateLimiting(RateLimits.Credentials)
            .WithSummary("Mail a new code").WithDescription("The password again; at most 3 codes per request, within its 24 hours.");
        me.MapGet("/decisions", async (ClaimsPrincipal user, AutomatedDecisions decisions, CancellationToken ct) =>
                TypedResults.Ok(await decisions.ListAsync(user.UserId(), ct)))
            .WithSummary("Automated decisions").WithDescription("Alarms on the caller's plants and refused sign-ins, each with its rule, inputs and thresholds; a review request names one by id.");
        me.MapPost("/complaints", async ([FromBody] ComplaintBody body, ClaimsPrincipal user, SubmitComplaint handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), body, ct)).ToResult(r => TypedResults.Accepted($"/api/v1/me/requests/{r.Id}", r)))
            .WithSummary("Complain to the privacy contact").WithDescription("Tracked like a request, with a due date; the signed-in session identifies the complainant.");

        app.MapGet("/api/v1/privacy/contact", (IOptions<PrivacyRequestsOptions> options) => TypedResults.Ok(ContactOf(options.Value)))
            .AllowAnonymous().WithTags("Privacy").WithSummary("The privacy contact").WithDescription("Who answers for privacy, and the supervisory authority.");

        // The privacy officer's console: the dpo role only (an admin gives the role, and does not hold it by that).
        var console = app.MapGroup("/api/v1/privacy/requests").WithTags("Privacy console").RequireAuthorization(AccountsModule.PrivacyOfficerPolicy);
        console.MapGet("/", async (string? state, RequestQueries queries, CancellationToken ct) =>
                (await queries.ConsoleListAsync(state, ct)).ToResult(TypedResults.Ok))
            .WithDescription("state: open (default: verified or in progress, most urgent first), closed, unverified or all.");
        console.MapGet("/{requestId:guid}", async (Guid requestId, ClaimsPrincipal user, RequestQueries queries, CancellationToken ct) =>
                await queries.ConsoleGetAsync(user.UserId(), requestId, ct) is { } request ? Results.Ok(request) : NotFound())
            .WithDescription("The request's details (reading them is audited) and its whole history.");
        console.MapPost("/{requestId:guid}/start", async (Guid requestId, ClaimsPrincipal user, StartRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, ct)).ToResult(TypedResults.Ok));
        console.MapPost("/{requestId:guid}/complete", async (Guid requestId, [FromBody] CompleteRequestBody body, ClaimsPrincipal user, CompleteRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok));
        console.MapPost("/{requestId:guid}/refuse", async (Guid requestId, [FromBody] RefuseRequestBody body, ClaimsPrincipal user, RefuseRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok));
        console.MapPost("/{requestId:guid}/extend", async (Guid requestId, [FromBody] ExtendRequestBody body, ClaimsPrincipal user, ExtendRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok));
        console.MapPost("/{requestId:guid}/fee", async (Guid requestId, [FromBody] RecordFeeBody body, ClaimsPrincipal user, RecordFee handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok));
        console.MapPost("/{requestId:guid}/repair", async (Guid requestId, [FromBody] RepairReadingsBody body, ClaimsPrincipal user, RepairReadings handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), requestId, body, ct)).ToResult(TypedResults.Ok))
            .WithDescription("Correction requests: deletes one device's readings in a range (at most 31 days) of a plant the requester owns, with a note.");
        return app;
    }

    public static PrivacyContactDto ContactOf(PrivacyRequestsOptions options) => new(
        options.Contact.Name, options.Contact.Email, options.Contact.PostalAddress, options.Contact.SupervisoryAuthority, options.Contact.SupervisoryAuthorityUrl);

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
