using System.Globalization;
using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.RemoteControl;

/// <summary>
/// Remote operations (ADR 0020): changing an inverter's settings through its logger's connection, validated against
/// the register map, approved by a second person when dangerous, queued in the database for the node that holds the
/// logger, confirmed by the device's answer, and audited at every step.
/// </summary>
public static class RemoteControlModule
{
    public static WebApplicationBuilder AddRemoteControl(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RemoteControlOptions>().BindConfiguration(RemoteControlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OperationSignal>();
        builder.Services.AddScoped<OperationLedger>();
        builder.Services.AddScoped<OperationQueries>();
        builder.Services.AddScoped<RequestOperation>();
        builder.Services.AddScoped<ApproveOperation>();
        builder.Services.AddScoped<RejectOperation>();
        builder.Services.AddHostedService<OperationDispatcher>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRemoteControl(this IEndpointRouteBuilder app)
    {
        // Devices are addressed by serial number and operations by id; one the caller may not see (or, to act, may not
        // operate) answers 404 like an unknown one.
        var api = app.MapGroup("/api/v1").WithTags("Remote operations").RequireAuthorization(AccountsModule.ApiPolicy);
        api.MapGet("/devices/{serialNumber}/settings", async (string serialNumber, ClaimsPrincipal user, OperationQueries queries, CancellationToken ct) =>
            await queries.SettingsAsync(user.UserId(), serialNumber, ct) is { } settings ? Results.Ok(settings) : NotFound());
        api.MapGet("/devices/{serialNumber}/operations", async (string serialNumber, int? limit, string? cursor, ClaimsPrincipal user, OperationQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(user.UserId(), serialNumber, limit, cursor, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/devices/{serialNumber}/operations", async (string serialNumber, [FromBody] OperationRequest request, ClaimsPrincipal user, RequestOperation handler, HttpContext http, CancellationToken ct) =>
        {
            var requested = await handler.HandleAsync(user.UserId(), serialNumber, request, ct);
            if (requested.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many operations.", detail: requested.Outcome.Message);
            }
            // 202: accepted for delivery; the operation's own address tells how it ends.
            return requested.Outcome.ToResult(o => TypedResults.Accepted($"/api/v1/operations/{o.Id}", o));
        });
        api.MapGet("/operations/{operationId:guid}", async (Guid operationId, ClaimsPrincipal user, OperationQueries queries, CancellationToken ct) =>
            await queries.GetAsync(user.UserId(), operationId, ct) is { } operation ? Results.Ok(operation) : NotFound());
        api.MapPost("/operations/{operationId:guid}/approve", async (Guid operationId, ClaimsPrincipal user, ApproveOperation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), operationId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/operations/{operationId:guid}/reject", async (Guid operationId, ClaimsPrincipal user, RejectOperation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), operationId, ct)).ToResult(TypedResults.Ok));
        return app;
    }

    /// <summary>The same problem details as every other missing or foreign object.</summary>
    private static IResult NotFound() => new Outcome<Done>(OutcomeKind.NotFound, default, null, null).ToProblem();
}
