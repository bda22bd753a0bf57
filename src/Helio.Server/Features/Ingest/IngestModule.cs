using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Readings from programs rather than loggers (LAN collectors, scripts, MQTT): per-plant ingest keys, managed by
/// the plant's owner, and the ingest endpoint they authenticate. docs/ingest.md is the contract.
/// </summary>
public static class IngestModule
{
    private const string RatePolicy = "ingest";

    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ManageIngestKeys>();
        builder.Services.AddScoped<IngestKeyCheck>();
        builder.Services.AddScoped<IngestReadings>();
        builder.Services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MqttIngest>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttIngest>());
        var options = builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new();
        // Per key, however its header is spelled (the hash of the key itself), so no spelling dodges the limit;
        // requests with nothing that could be a key share one partition per client address. A made-up key gets a
        // partition of its own, which the limiter drops once idle; it costs one indexed lookup and a 401.
        builder.Services.AddRateLimiter(o => o.AddPolicy(RatePolicy, context =>
            RateLimitPartition.GetFixedWindowLimiter(
                IngestKeyCheck.KeyOf(context.Request.Headers.Authorization) is { } key
                    ? Convert.ToHexString(IngestKeySecrets.Hash(key))
                    : "address:" + context.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return builder;
    }

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/plants/{plantId:guid}/ingest-keys").WithTags("Ingest").RequireAuthorization(AccountsModule.ApiPolicy);
        keys.MapGet("/", async (Guid plantId, ClaimsPrincipal user, ManageIngestKeys handler, CancellationToken ct) =>
            (await handler.ListAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        keys.MapPost("/", async (Guid plantId, [FromBody] IngestKeyRequest request, ClaimsPrincipal user, ManageIngestKeys handler, CancellationToken ct) =>
            (await handler.CreateAsync(user.UserId(), plantId, request, ct)).ToResult(k => TypedResults.Created($"/api/v1/plants/{plantId}/ingest-keys/{k.Id}", k)));
        keys.MapPost("/{keyId:guid}/rotate", async (Guid plantId, Guid keyId, ClaimsPrincipal user, ManageIngestKeys handler, CancellationToken ct) =>
            (await handler.RotateAsync(user.UserId(), plantId, keyId, ct)).ToResult(TypedResults.Ok));
        keys.MapDelete("/{keyId:guid}", async (Guid plantId, Guid keyId, ClaimsPrincipal user, ManageIngestKeys handler, CancellationToken ct) =>
            (await handler.RevokeAsync(user.UserId(), plantId, keyId, ct)).ToResult(_ => TypedResults.NoContent()));

        // Authenticated by the ingest key, not a user: no user policy applies. The key is checked before the body
        // is read, so a caller without one learns nothing about what a valid batch looks like.
        app.MapPost("/api/v1/ingest/readings", ReceiveAsync).WithTags("Ingest").AllowAnonymous().RequireRateLimiting(RatePolicy)
            .Accepts<IngestBatch>("application/json")
            .Produces<IngestResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IngestKeyCheck keys, IngestReadings handler, CancellationToken ct)
    {
        if (await keys.PlantOfAsync(request.Headers.Authorization, ct) is not { } plantId)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid ingest key is required (Authorization: Bearer hik_…).");
        }
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be application/json.");
        }
        IngestBatch? batch;
        try
        {
            batch = await request.ReadFromJsonAsync<IngestBatch>(ct);
        }
        catch (JsonException e)
        {
            // The problem handler names the field the JSON broke at.
            throw new BadHttpRequestException("The request body is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }
        if (batch?.Readings is not { Count: > 0 } readings)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["readings"] = ["Required: at least one reading."] });
        }
        if (readings.Count > IngestReadings.MaxReadings)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"At most {IngestReadings.MaxReadings} readings per request.");
        }
        return TypedResults.Ok(await handler.HandleAsync("http", plantId, readings, ct));
    }
}
