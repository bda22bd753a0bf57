using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// Owners' shares of their plants with people and installer organisations (ADR 0018). What a share lets its grantee
/// do is decided in <see cref="Plants.PlantAccess"/>, which reads the shares on every request.
/// </summary>
public static class SharingModule
{
    public static WebApplicationBuilder AddSharing(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ShareQueries>();
        builder.Services.AddScoped<SharePlant>();
        builder.Services.AddScoped<AcceptShare>();
        builder.Services.AddScoped<ChangeShareScope>();
        builder.Services.AddScoped<RevokeShare>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder app)
    {
        // Someone else's plant, or a share of it, answers 404 exactly like a missing one.
        var api = app.MapGroup("/api/v1").WithTags("Sharing").RequireAuthorization(AccountsModule.ApiPolicy);
        api.MapGet("/plants/{plantId:guid}/shares", async (Guid plantId, ClaimsPrincipal user, ShareQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/plants/{plantId:guid}/shares", async (Guid plantId, [FromBody] ShareRequest request, ClaimsPrincipal user, SharePlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, request, ct)).ToResult(s => TypedResults.Created($"/api/v1/plants/{plantId}/shares", s)));
        api.MapPut("/plants/{plantId:guid}/shares/{shareId:guid}", async (Guid plantId, Guid shareId, [FromBody] ShareScopeRequest request, ClaimsPrincipal user, ChangeShareScope handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, shareId, request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/plants/{plantId:guid}/shares/{shareId:guid}", async (Guid plantId, Guid shareId, ClaimsPrincipal user, RevokeShare handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, shareId, ct)).ToResult(_ => TypedResults.NoContent()));
        api.MapPost("/share-invitations/accept", async ([FromBody] AcceptShareRequest request, ClaimsPrincipal user, AcceptShare handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
        return app;
    }
}
