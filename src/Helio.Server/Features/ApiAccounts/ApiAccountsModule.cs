using System.Security.Claims;
using System.Security.Cryptography;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// API accounts for third parties (ADR 0021): an owner opens one, associates plants with it, and the third party gets
/// short-lived tokens from <c>POST /connect/token</c> (OAuth 2.0 client credentials, OpenIddict) that read those
/// plants and nothing else. Tokens are Data Protection payloads under the key ring every node shares through the
/// database, and each has an entry in the database that validation checks on every request.
/// </summary>
public static class ApiAccountsModule
{
    /// <summary>
    /// Read-only plant routes (plants, devices, telemetry, alarms): a person's bearer token or an API account's token.
    /// Every other API route keeps <see cref="AccountsModule.ApiPolicy"/>, which never accepts an API account's token.
    /// </summary>
    public const string ReadPolicy = "api-read";


    public static WebApplicationBuilder AddApiAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiAccountsOptions>().BindConfiguration(ApiAccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(ApiAccountsOptions.Section).Get<ApiAccountsOptions>() ?? new();
        var helio = builder.Configuration.GetSection(HelioOptions.Section).Get<HelioOptions>() ?? new();

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<HelioDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token");
                // No discovery document and no key set: clients use the documented endpoint, and tokens are opaque.
                o.SetConfigurationEndpointUris(Array.Empty<Uri>());
                o.SetJsonWebKeySetEndpointUris(Array.Empty<Uri>());
                o.AllowClientCredentialsFlow();
                o.SetAccessTokenLifetime(options.TokenLifetime);
                if (helio.PublicBaseUrl is { Length: > 0 } publicBase)
                {
                    o.SetIssuer(new Uri(publicBase));
                }
                // Access tokens are Data Protection payloads (below), so these keys sign and encrypt nothing that leaves
                // the process: no identity tokens are issued (no openid scope) and the key set is not published. OpenIddict
                // insists on having them, so each node makes its own at start (ADR 0021).
                o.AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
                o.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
                o.UseDataProtection();
                // TLS is the platform's job (Platform/Http/Tls): plain HTTP only on loopback in Production.
                o.UseAspNetCore().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement().SuppressJsonResponseIndentation();
                o.AddEventHandler(TokenFailures.Check);
                o.AddEventHandler(TokenFailures.Count);
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseDataProtection();
                // Closing an account deletes its token entries and rotating its secret revokes them: checked per request.
                o.EnableTokenEntryValidation();
                // The Authorization header only: a token in a query string ends up in logs and browser history.
                o.UseAspNetCore().DisableAccessTokenExtractionFromBodyForm().DisableAccessTokenExtractionFromQueryString();
            });

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BearerOrApiToken>(BearerOrApiToken.Name, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.AddAuthenticationSchemes(BearerOrApiToken.Name).RequireAuthenticatedUser());

        // The debug log shows the problem an API account's request was answered with (title and detail, never a body).
        services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var previous = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                ApiAccountTraffic.ProblemCapture.Capture(context);
            };
        });

        services.AddScoped<ApiAccountQueries>();
        services.AddScoped<OpenApiAccount>();
        services.AddScoped<CloseApiAccount>();
        services.AddScoped<RotateApiAccountSecret>();
        services.AddScoped<AddApiAccountPlant>();
        services.AddScoped<RemoveApiAccountPlant>();
        services.AddScoped<RequestPlantLimit>();
        services.AddScoped<ListPlantLimitRequests>();
        services.AddScoped<DecidePlantLimitRequest>();
        services.AddSingleton<ApiRequestLog>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiRequestLog>());
        services.AddSingleton<ApiAccountTraffic>();
        services.AddSingleton<ApiAccountMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiAccountMaintenance>());
        return builder;
    }

    /// <summary>After authorisation: the per-account rate limit and the debug log need to know who is calling.</summary>
    public static WebApplication UseApiAccounts(this WebApplication app)
    {
        app.UseMiddleware<ApiAccountTraffic>();
        return app;
    }

    public static IEndpointRouteBuilder MapApiAccounts(this IEndpointRouteBuilder app)
    {
        // OpenIddict answers failures (wrong secret: invalid_client) itself; this runs for a valid client only.
        app.MapPost("/connect/token", IssueApiToken.HandleAsync).AllowAnonymous().RequireRateLimiting(RateLimits.Credentials).ExcludeFromDescription();

        // An account someone else opened answers like a missing one (404).
        var accounts = app.MapGroup("/api/v1/api-accounts").WithTags("API accounts").RequireAuthorization(AccountsModule.ApiPolicy);
        accounts.MapGet("/", async (ClaimsPrincipal user, ApiAccountQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(user.UserId(), ct)));
        accounts.MapPost("/", async ([FromBody] OpenApiAccountRequest request, ClaimsPrincipal user, OpenApiAccount handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(a => TypedResults.Created($"/api/v1/api-accounts/{a.Id}", a)));
        accounts.MapGet("/{accountId:guid}", async (Guid accountId, ClaimsPrincipal user, ApiAccountQueries queries, CancellationToken ct) =>
            (await queries.GetAsync(user.UserId(), accountId, ct)).ToResult(TypedResults.Ok));
        accounts.MapDelete("/{accountId:guid}", async (Guid accountId, ClaimsPrincipal user, CloseApiAccount handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), accountId, ct)).ToResult(_ => TypedResults.NoContent()));
        accounts.MapPost("/{accountId:guid}/rotate-secret", async (Guid accountId, ClaimsPrincipal user, RotateApiAccountSecret handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), accountId, ct)).ToResult(TypedResults.Ok));
        accounts.MapPost("/{accountId:guid}/plants", async (Guid accountId, [FromBody] AddApiAccountPlantRequest request, ClaimsPrincipal user, AddApiAccountPlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), accountId, request, ct)).ToResult(TypedResults.Ok));
        accounts.MapDelete("/{accountId:guid}/plants/{plantId:guid}", async (Guid accountId, Guid plantId, ClaimsPrincipal user, RemoveApiAccountPlant handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), accountId, plantId, ct)).ToResult(_ => TypedResults.NoContent()));
        accounts.MapPost("/{accountId:guid}/limit-requests", async (Guid accountId, [FromBody] PlantLimitRequestBody request, ClaimsPrincipal user, RequestPlantLimit handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), accountId, request, ct)).ToResult(r => TypedResults.Created($"/api/v1/api-accounts/{accountId}", r)));
        accounts.MapGet("/{accountId:guid}/requests", async (Guid accountId, ClaimsPrincipal user, ApiAccountQueries queries, CancellationToken ct) =>
            (await queries.RequestsAsync(user.UserId(), accountId, ct)).ToResult(TypedResults.Ok));

        var admin = app.MapGroup("/api/v1/admin/api-limit-requests").WithTags("API accounts (admin)").RequireAuthorization(AccountsModule.AdminPolicy);
        admin.MapGet("/", async (string? state, ListPlantLimitRequests handler, CancellationToken ct) =>
            state is null or "pending" or "all"
                ? Results.Ok(await handler.HandleAsync(state != "all", ct))
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["One of pending, all."] }));
        admin.MapPost("/{requestId:guid}/approve", async (Guid requestId, ClaimsPrincipal user, DecidePlantLimitRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, approve: true, ct)).ToResult(TypedResults.Ok));
        admin.MapPost("/{requestId:guid}/deny", async (Guid requestId, ClaimsPrincipal user, DecidePlantLimitRequest handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), requestId, approve: false, ct)).ToResult(TypedResults.Ok));
        return app;
    }
}
