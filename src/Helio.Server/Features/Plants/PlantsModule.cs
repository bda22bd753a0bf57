using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Plants;

public static class PlantsModule
{
    public static WebApplicationBuilder AddPlants(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor(); // PlantAccess: is the caller an API account?
        builder.Services.AddScoped<PlantAccess>();
        builder.Services.AddScoped<CreatePlant>();
        builder.Services.AddScoped<UpdatePlant>();
        builder.Services.AddScoped<DeletePlant>();
        builder.Services.AddScoped<GetPlant>();
        builder.Services.AddScoped<ListPlants>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPlants(this IEndpointRouteBuilder app)
    {
        // A foreign plant id answers exactly like a missing one (404): ids must not confirm that others' plants exist.
        var plants = app.MapGroup("/api/v1/plants").WithTags("Plants").RequireAuthorization(AccountsModule.ApiPolicy);
        // Reads also take API accounts' tokens: they see only their associated plants, and never the street address.
        var reads = app.MapGroup("/api/v1/plants").WithTags("Plants").RequireAuthorization(ApiAccountsModule.ReadPolicy);
        reads.MapGet("/", async ([AsParameters] ListPlantsQuery query, ClaimsPrincipal user, ListPlants handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), query, ct)).ToResult(TypedResults.Ok));
        plants.MapPost("/", async ([FromBody] PlantRequest request, ClaimsPrincipal user, CreatePlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(p => TypedResults.Created($"/api/v1/plants/{p.Id}", p)));
        reads.MapGet("/{plantId:guid}", async Task<Results<Ok<PlantDto>, NotFound>> (Guid plantId, ClaimsPrincipal user, GetPlant handler, CancellationToken ct) =>
            await handler.HandleAsync(user.UserId(), plantId, ct) is { } plant ? TypedResults.Ok(plant) : TypedResults.NotFound());
        plants.MapPut("/{plantId:guid}", async (Guid plantId, [FromBody] PlantRequest request, ClaimsPrincipal user, UpdatePlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, request, ct)).ToResult(TypedResults.Ok));
        plants.MapDelete("/{plantId:guid}", async (Guid plantId, ClaimsPrincipal user, DeletePlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, ct)).ToResult(_ => TypedResults.NoContent()));
        return app;
    }
}
