using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// Security incidents (GDPR Art. 33/34, the policy's promise to tell users what happened, what it means, what was done
/// and what they can do): the privacy officer records them, Helio drafts the authority's notice against the 72-hour
/// clock, tells the people affected by mail and in the app, and can publish a public notice.
/// </summary>
public static class IncidentsModule
{
    public static WebApplicationBuilder AddPrivacyIncidents(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IncidentQueries>();
        builder.Services.AddScoped<Requests.IMyDataSection, IncidentNoticesSection>();
        builder.Services.AddScoped<RecordIncident>();
        builder.Services.AddScoped<UpdateIncident>();
        builder.Services.AddScoped<MarkAuthorityNotified>();
        builder.Services.AddScoped<NotifyAffectedUsers>();
        builder.Services.AddScoped<PublishIncident>();
        builder.Services.AddScoped<ReadIncidentNotice>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacyIncidents(this IEndpointRouteBuilder app)
    {
        // The privacy officer's: platform staff without the dpo role are refused before any id is looked at.
        var officer = app.MapGroup("/api/v1/privacy/incidents").WithTags("Privacy").RequireAuthorization(AccountsModule.PrivacyOfficerPolicy);
        officer.MapGet("/", async (IncidentQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.ListAsync(ct)))
            .WithSummary("Security incidents").WithDescription("Newest first, with the 72-hour clock of each.");
        officer.MapPost("/", async ([FromBody] IncidentRequest request, ClaimsPrincipal user, RecordIncident handler, IncidentQueries queries, CancellationToken ct) =>
            {
                var recorded = await handler.HandleAsync(user.UserId(), request, ct);
                return recorded.IsSuccess
                    ? (await queries.GetAsync(recorded.Value, ct)).ToResult(i => TypedResults.Created($"/api/v1/privacy/incidents/{i.Id}", i))
                    : recorded.ToProblem();
            })
            .WithSummary("Record an incident").WithDescription("When it was found, what happened, the data concerned, who is affected (a query), consequences, measures, advice and contact.");
        officer.MapGet("/{incidentId:guid}", async (Guid incidentId, IncidentQueries queries, CancellationToken ct) =>
            (await queries.GetAsync(incidentId, ct)).ToResult(TypedResults.Ok));
        officer.MapPut("/{incidentId:guid}", async (Guid incidentId, [FromBody] IncidentRequest request, ClaimsPrincipal user, UpdateIncident handler, IncidentQueries queries, CancellationToken ct) =>
            {
                var updated = await handler.HandleAsync(user.UserId(), incidentId, request, ct);
                return updated.IsSuccess ? (await queries.GetAsync(incidentId, ct)).ToResult(TypedResults.Ok) : updated.ToProblem();
            });
        officer.MapGet("/{incidentId:guid}/authority-notice", async (Guid incidentId, IncidentQueries queries, CancellationToken ct) =>
                (await queries.AuthorityNoticeAsync(incidentId, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Draft notice to the supervisory authority").WithDescription("GDPR Art. 33(3) (a)–(d), with the deadline 72 hours after discovery.");
        officer.MapPost("/{incidentId:guid}/authority-notified", async (Guid incidentId, [FromBody] AuthorityNotifiedRequest request, ClaimsPrincipal user, MarkAuthorityNotified handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), incidentId, request, ct)).ToResult(_ => TypedResults.NoContent()))
            .WithSummary("Record that the authority was told").WithDescription("After 72 hours, delayReason is required.");
        officer.MapPost("/{incidentId:guid}/notify-users", async (Guid incidentId, ClaimsPrincipal user, NotifyAffectedUsers handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), incidentId, ct)).ToResult(TypedResults.Ok))
            .WithSummary("Notify the people affected").WithDescription("By mail and in the app; nobody twice. `more` says a further call is needed.");
        officer.MapPost("/{incidentId:guid}/publish", async (Guid incidentId, ClaimsPrincipal user, PublishIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), incidentId, ct)).ToResult(path => TypedResults.Ok(new { publicPath = path })))
            .WithSummary("Publish the public notice");

        var me = app.MapGroup("/api/v1/me/incident-notices").WithTags("Me").RequireAuthorization(AccountsModule.ApiPolicy);
        me.MapGet("/", async (ClaimsPrincipal user, IncidentQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.MyNoticesAsync(user.UserId(), ct)))
            .WithSummary("Security incident notices").WithDescription("Notices about incidents that may concern the caller, newest first; `readAt` is null until marked read.");
        me.MapPost("/{incidentId:guid}/read", async (Guid incidentId, ClaimsPrincipal user, ReadIncidentNotice handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), incidentId, ct)).ToResult(_ => TypedResults.NoContent()));
        return app;
    }
}
