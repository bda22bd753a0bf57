using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Alarms (ADR 0015): detectors (faults and owners' rules on every reading, offline and communication checks every
/// minute, underperformance once a local day), one lifecycle (<see cref="AlarmBook"/>), an explanation kept with each
/// alarm, and the API. Telling people is Notifications' job.
/// </summary>
public static class AlarmsModule
{
    public static WebApplicationBuilder AddAlarms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlarmsOptions>().BindConfiguration(AlarmsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The stream of committed readings exists because the evaluator reads it: the telemetry writer publishes to it
        // only when it is registered, so a host without alarms (the benchmarks) never fills it unread.
        builder.Services.AddSingleton<Telemetry.CommittedReadings>();
        builder.Services.AddSingleton<AlarmEventsSignal>();
        builder.Services.AddScoped<AlarmBook>();
        builder.Services.AddScoped<AlarmQueries>();
        builder.Services.AddScoped<AcknowledgeAlarm>();
        builder.Services.AddScoped<CloseAlarm>();
        builder.Services.AddScoped<RequestAlarmReview>();
        builder.Services.AddScoped<AlarmRules>();
        builder.Services.AddScoped<PlantAlarmSettingsStore>();
        builder.Services.AddSingleton<AlarmRuleChanges>();
        builder.Services.AddSingleton<ReadingAlarms>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadingAlarms>());
        builder.Services.AddSingleton<AlarmChecks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmChecks>());
        builder.Services.AddSingleton<UnderperformanceCheck>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UnderperformanceCheck>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Alarms").RequireAuthorization(AccountsModule.ApiPolicy);
        // Alarm reads also take API accounts' tokens (their associated plants only), without owners' review requests.
        var reads = app.MapGroup("/api/v1").WithTags("Alarms").RequireAuthorization(ApiAccountsModule.ReadPolicy);
        reads.MapGet("/plants/{plantId:guid}/alarms", async (Guid plantId, string? state, string? severity, int? limit, string? cursor, ClaimsPrincipal user, AlarmQueries queries, CancellationToken ct) =>
            (await queries.ListAsync(user.UserId(), plantId, state, severity, limit, cursor, ct)).ToResult(TypedResults.Ok));
        reads.MapGet("/alarms/{alarmId:guid}", async (Guid alarmId, ClaimsPrincipal user, AlarmQueries queries, CancellationToken ct) =>
            await queries.GetAsync(user.UserId(), alarmId, ct) is { } alarm ? Results.Ok(user.IsApiAccount() ? alarm with { Reviews = [] } : alarm) : Results.NotFound());
        reads.MapGet("/alarms/{alarmId:guid}/explanation", async (Guid alarmId, ClaimsPrincipal user, AlarmQueries queries, CancellationToken ct) =>
            await queries.ExplainAsync(user.UserId(), alarmId, ct) is { } explanation ? Results.Ok(explanation) : Results.NotFound());
        api.MapPost("/alarms/{alarmId:guid}/acknowledge", async (Guid alarmId, ClaimsPrincipal user, AcknowledgeAlarm handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), alarmId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/alarms/{alarmId:guid}/close", async (Guid alarmId, ClaimsPrincipal user, CloseAlarm handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), alarmId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/alarms/{alarmId:guid}/reviews", async (Guid alarmId, [FromBody] RequestReviewRequest request, ClaimsPrincipal user, RequestAlarmReview handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), alarmId, request, ct)).ToResult(r => TypedResults.Created($"/api/v1/alarms/{alarmId}", r)));

        api.MapGet("/plants/{plantId:guid}/alarm-rules", async (Guid plantId, ClaimsPrincipal user, AlarmRules rules, CancellationToken ct) =>
            (await rules.ListAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/plants/{plantId:guid}/alarm-rules", async (Guid plantId, [FromBody] AlarmRuleRequest request, ClaimsPrincipal user, AlarmRules rules, CancellationToken ct) =>
            (await rules.CreateAsync(user.UserId(), plantId, request, ct)).ToResult(r => TypedResults.Created($"/api/v1/plants/{plantId}/alarm-rules/{r.Id}", r)));
        api.MapPut("/plants/{plantId:guid}/alarm-rules/{ruleId:guid}", async (Guid plantId, Guid ruleId, [FromBody] AlarmRuleRequest request, ClaimsPrincipal user, AlarmRules rules, CancellationToken ct) =>
            (await rules.UpdateAsync(user.UserId(), plantId, ruleId, request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/plants/{plantId:guid}/alarm-rules/{ruleId:guid}", async (Guid plantId, Guid ruleId, ClaimsPrincipal user, AlarmRules rules, CancellationToken ct) =>
            (await rules.DeleteAsync(user.UserId(), plantId, ruleId, ct)).ToResult(_ => TypedResults.NoContent()));

        api.MapGet("/plants/{plantId:guid}/alarm-settings", async (Guid plantId, ClaimsPrincipal user, PlantAlarmSettingsStore settings, CancellationToken ct) =>
            (await settings.GetAsync(user.UserId(), plantId, ct)).ToResult(TypedResults.Ok));
        api.MapPut("/plants/{plantId:guid}/alarm-settings", async (Guid plantId, [FromBody] PlantAlarmSettingsRequest request, ClaimsPrincipal user, PlantAlarmSettingsStore settings, CancellationToken ct) =>
            (await settings.UpdateAsync(user.UserId(), plantId, request, ct)).ToResult(TypedResults.Ok));
        return app;
    }
}
