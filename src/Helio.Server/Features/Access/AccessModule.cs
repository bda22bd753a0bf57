using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Access;

/// <summary>
/// After-sales access (ADR 0019): engineers ask for time-limited access to a plant, the owner (or an admin of the
/// managing organisation, never the requester) decides, and anyone on either side may end it. While a grant lasts,
/// <see cref="Plants.PlantAccess"/> lets the engineer see the plant, and the owner's contact details show masked;
/// unmasking one field is a separate, reasoned, audited action.
/// </summary>
public static class AccessModule
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AccessRequestQueries>();
        builder.Services.AddScoped<AccessMails>();
        builder.Services.AddScoped<AccessRequestChange>();
        builder.Services.AddScoped<RequestAccess>();
        builder.Services.AddScoped<ApproveAccessRequest>();
        builder.Services.AddScoped<DenyAccessRequest>();
        builder.Services.AddScoped<RevokeAccessRequest>();
        builder.Services.AddScoped<GetOwnerContact>();
        builder.Services.AddScoped<UnmaskOwnerContact>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        // A request answers only its parties (requester, owner, managing organisation's admins); to anyone else it is
        // missing (404). A party who may not take a step gets 403 (the requester deciding their own request) or 409.
        var requests = app.MapGroup("/api/v1/access-requests").WithTags("Access").RequireAuthorization(AccountsModule.ApiPolicy);
        requests.MapPost("/", async ([FromBody] RequestAccessBody body, ClaimsPrincipal user, RequestAccess handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), body, ct)).ToResult(r => TypedResults.Created($"/api/v1/access-requests/{r.Id}", r)));
        requests.MapGet("/", async (ClaimsPrincipal user, AccessRequestQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(user.UserId(), ct)));
        requests.MapGet("/{requestId:guid}", async (Guid requestId, ClaimsPrincipal user, AccessRequestQueries queries, CancellationToken ct) =>
            await queries.GetAsync(user.UserId(), requestId, ct) is { } request ? Results.Ok(request) : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found."));
        requests.MapPost("/{requestId:guid}/approve", async (Guid requestId, ClaimsPrincipal user, ApproveAccessRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, ct)).ToResult(TypedResults.Ok));
        requests.MapPost("/{requestId:guid}/deny", async (Guid requestId, ClaimsPrincipal user, DenyAccessRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, ct)).ToResult(TypedResults.Ok));
        requests.MapPost("/{requestId:guid}/revoke", async (Guid requestId, ClaimsPrincipal user, RevokeAccessRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, ct)).ToResult(TypedResults.Ok));

        var contact = app.MapGroup("/api/v1/plants/{plantId:guid}/owner-contact").WithTags("Access").RequireAuthorization(AccountsModule.ApiPolicy);
        contact.MapGet("/", async (Guid plantId, ClaimsPrincipal user, GetOwnerContact handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        contact.MapPost("/unmask", async (Guid plantId, [FromBody] UnmaskContactBody body, ClaimsPrincipal user, UnmaskOwnerContact handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, body, ct)).ToResult(TypedResults.Ok));
        return app;
    }
}
