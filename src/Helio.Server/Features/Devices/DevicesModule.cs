using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Devices;

public static class DevicesModule
{
    public static WebApplicationBuilder AddDevices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DeviceQueries>();
        builder.Services.AddScoped<RegisterDevice>();
        builder.Services.AddScoped<UpdateDevice>();
        builder.Services.AddScoped<UnbindDevice>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var plantDevices = app.MapGroup("/api/v1/plants/{plantId:guid}/devices").WithTags("Devices").RequireAuthorization(AccountsModule.ApiPolicy);
        // Reads also take API accounts' tokens (their associated plants' devices only).
        var reads = app.MapGroup("/api/v1").WithTags("Devices").RequireAuthorization(ApiAccountsModule.ReadPolicy);
        reads.MapGet("/plants/{plantId:guid}/devices", async (Guid plantId, ClaimsPrincipal user, DeviceQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        plantDevices.MapPost("/", async (Guid plantId, [FromBody] RegisterDeviceRequest request, ClaimsPrincipal user, RegisterDevice handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), plantId, request, ct)).ToResult(d => TypedResults.Created($"/api/v1/devices/{d.SerialNumber}", d)));

        // Devices are addressed by serial number; one that is not the caller's answers 404 like an unknown one.
        var devices = app.MapGroup("/api/v1/devices").WithTags("Devices").RequireAuthorization(AccountsModule.ApiPolicy);
        reads.MapGet("/devices/{serialNumber}", async Task<Results<Ok<DeviceDto>, NotFound>> (string serialNumber, ClaimsPrincipal user, DeviceQueries queries, CancellationToken ct) =>
            await queries.GetAsync(user.UserId(), serialNumber, ct) is { } device ? TypedResults.Ok(device) : TypedResults.NotFound());
        devices.MapPut("/{serialNumber}", async (string serialNumber, [FromBody] UpdateDeviceRequest request, ClaimsPrincipal user, UpdateDevice handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), serialNumber, request, ct)).ToResult(TypedResults.Ok));
        devices.MapDelete("/{serialNumber}", async (string serialNumber, ClaimsPrincipal user, UnbindDevice handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), serialNumber, ct)).ToResult(_ => TypedResults.NoContent()));
        return app;
    }
}
