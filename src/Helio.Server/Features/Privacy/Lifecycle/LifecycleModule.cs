using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// An account's life from registration to erasure (ADR 0024): children's accounts held for a guardian's consent, data
/// regions and the transfer policy, the retention schedule and its daily job, and <see cref="AccountErasure"/>.
/// </summary>
public static class LifecycleModule
{
    public static WebApplicationBuilder AddPrivacyLifecycle(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RegionOptions>().BindConfiguration(RegionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RegionOptions>, RegionOptionsValidation>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidation>();

        services.AddScoped<AccountErasure>();
        services.AddScoped<TransferPolicy>();
        services.AddScoped<Requests.IMyDataSection, BirthAndRegionSection>();
        services.AddScoped<RequestGuardianConsent>();
        services.AddScoped<DecideGuardianConsent>();
        services.AddScoped<EraseChildAccount>();
        services.AddScoped<ListChildAccounts>();
        services.AddScoped<RetentionSchedule>();

        // The schedule, in the order the rules run: accounts first (their rows go with them), then rows, files, the audit trail.
        // Cancelled accounts are the deletion feature's rule (Privacy/Deletion): it hands them to the deletion job.
        services.AddScoped<IRetentionRule, ExpiredChildAccounts>();
        services.AddScoped<IRetentionRule, UnconfirmedAccounts>();
        services.AddScoped<IRetentionRule, EndedSessions>();
        services.AddScoped<IRetentionRule, ClosedInvitations>();
        services.AddScoped<IRetentionRule, SentMail>();
        services.AddScoped<IRetentionRule, ExportFiles>();
        services.AddScoped<IRetentionRule, ExpiredAuditEntries>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacyLifecycle(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/account/guardian-consent", async ([FromBody] GuardianConsentRequest request, DecideGuardianConsent handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToResult(_ => TypedResults.NoContent()))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Credentials).WithTags("Account")
            .WithSummary("A parent's or guardian's answer")
            .WithDescription("With the token from the mailed link: `confirm` releases the child's account, `refuse` erases it. The link works once.");

        var admin = app.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(AccountsModule.AdminPolicy);
        admin.MapGet("/child-accounts", async (ListChildAccounts handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithSummary("Children's accounts waiting for a guardian").WithDescription("Oldest first; no names, addresses or dates of birth.");
        admin.MapPost("/child-accounts/erase", async ([FromBody] EraseChildAccountRequest request, ClaimsPrincipal user, EraseChildAccount handler, CancellationToken ct) =>
                (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(_ => TypedResults.NoContent()))
            .WithSummary("Erase a child's account found to lack consent").WithDescription("Erases the account of the address given, audited with the admin as the actor.");
        admin.MapGet("/privacy/regions", async (TransferPolicy policy, CancellationToken ct) => TypedResults.Ok(await policy.RegionsAsync(ct)))
            .WithSummary("Data regions").WithDescription("This deployment's region, the legal basis on record for each destination region, and accounts per home region.");
        admin.MapGet("/privacy/retention", (RetentionSchedule schedule) => TypedResults.Ok(schedule.Lines))
            .WithSummary("Retention schedule").WithDescription("Each rule as configured here, and which job enforces it.");
        return app;
    }
}
