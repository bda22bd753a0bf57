using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Audit;

/// <summary>The verification's answer over the API.</summary>
/// <param name="FromSeq">The retention checkpoint the check started after (0: the first entry).</param>
public sealed record AuditVerificationDto(bool Intact, long Count, long HeadSeq, string HeadHash, string Head, long? BrokenSeq, string? Reason, string? Explanation, double TookMs, long FromSeq)
{
    public static AuditVerificationDto From(AuditVerification v) => new(
        v.Intact, v.Count, v.HeadSeq, v.HeadHash, v.Head, v.BrokenSeq, v.Reason is { } r ? AuditText.Reason(r) : null, v.Explanation, v.Took.TotalMilliseconds, v.FromSeq);
}

/// <summary>An optional anchor (<c>SEQ:HASH</c>, the head of an earlier verification).</summary>
public sealed record VerifyAuditRequest(string? Anchor);

public static class AuditModule
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AuditVerifier>();
        builder.Services.AddSingleton<AuditCheckpointSigner>();
        builder.Services.AddScoped<AuditExpiry>();
        builder.Services.AddScoped<RecordPlantViews>();
        builder.Services.AddSingleton<RecentPlantViews>();
        builder.Services.AddScoped<ListAccessLog>();
        builder.Services.AddScoped<ListAuditEntries>();
        return builder;
    }

    /// <summary>Records views of others' plants; goes after authentication and authorisation (see <see cref="RecordPlantViews"/>).</summary>
    public static WebApplication UseAudit(this WebApplication app)
    {
        app.UseMiddleware<PlantViewsMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/account/access-log", async (string? cursor, int? limit, ClaimsPrincipal user, ListAccessLog handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), cursor, limit, ct)).ToResult(TypedResults.Ok))
            .RequireAuthorization(AccountsModule.ApiPolicy).WithTags("Audit")
            .WithSummary("Who accessed my data")
            .WithDescription("Every access to the caller's plants and personal data by anyone else, newest first; `next` is the cursor of the following page.");

        var admin = app.MapGroup("/api/v1/admin/audit").WithTags("Audit").RequireAuthorization(AccountsModule.AdminPolicy);
        admin.MapGet("/", async (string? action, string? cursor, int? limit, ListAuditEntries handler, CancellationToken ct) =>
                (await handler.HandleAsync(action, cursor, limit, ct)).ToResult(TypedResults.Ok))
            .WithSummary("The audit trail").WithDescription("Newest first, optionally one action; pseudonyms only.");
        admin.MapPost("/verify", async ([FromBody] VerifyAuditRequest? request, AuditVerifier verifier, CancellationToken ct) =>
                (await verifier.HandleAsync(request?.Anchor, ct)).ToResult(v => TypedResults.Ok(AuditVerificationDto.From(v))))
            .WithSummary("Verify the audit trail")
            .WithDescription("Checks the whole hash chain; answers intact with the head, or the first broken entry and why.");
        return app;
    }
}
