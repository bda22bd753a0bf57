using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Export and transfer requests carried out (ADR 0025): the fulfilments that queue them, the worker that writes the
/// ZIP and pushes a transfer, the progress on the request, and the download. Registered by <see cref="PrivacyModule"/>.
/// </summary>
public static class ExportModule
{
    public static WebApplicationBuilder AddPrivacyExport(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidation>();
        services.AddScoped<IRequestFulfilment, QueueExportRequest>();
        services.AddScoped<IRequestFulfilment, QueueTransferRequest>();
        services.AddScoped<IRequestWork, ExportProgress>();
        services.AddScoped<WriteExport>();
        services.AddScoped<RunExport>();
        services.AddScoped<PushTransfer>();
        services.AddScoped<DownloadExport>();
        services.AddSingleton<ExportSignal>();
        services.AddSingleton<ExportWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportWorker>());
        // The vetted handler of webhooks (public addresses only, checked on the address connected to; no redirects).
        services.AddHttpClient(PushTransfer.ClientName, (sp, client) => client.Timeout = sp.GetRequiredService<IOptions<ExportOptions>>().Value.TransferTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookTargets.Handler(
                sp.GetRequiredService<IOptions<ExportOptions>>().Value.PrivateTargetsAllowed(sp.GetRequiredService<IHostEnvironment>())));
        return builder;
    }

    public static IEndpointRouteBuilder MapPrivacyExport(this IEndpointRouteBuilder app)
    {
        // The requester's own export only: anyone else's request id answers like a missing one (404). The password
        // (and 2FA code) is checked, so the credentials rate limit applies.
        app.MapPost("/api/v1/me/requests/{requestId:guid}/download", async (Guid requestId, [FromBody] DownloadExportBody body, ClaimsPrincipal user,
                DownloadExport handler, CancellationToken ct) => ToResult(await handler.HandleAsync(user.UserId(), requestId, body, ct)))
            .RequireAuthorization(AccountsModule.ApiPolicy).RequireRateLimiting(RateLimits.Credentials).WithTags("Privacy")
            .WithSummary("Download a finished export")
            .WithDescription("The ZIP of a completed export request, streamed; takes the password (and the 2FA code when it is on). 410 once expired. Audited.");
        Web.Pages.Privacy.Export.DownloadExportEndpoint.Map(app);
        return app;
    }

    /// <summary>The file streamed from disk, or the refusal; an expired link is 410.</summary>
    internal static IResult ToResult(Outcome<ExportFile> outcome) =>
        outcome.IsSuccess
            ? TypedResults.PhysicalFile(outcome.Value!.Path, "application/zip", outcome.Value.DownloadName)
            : ReferenceEquals(outcome.Message, DownloadExport.Expired.Message)
                ? TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone.", detail: outcome.Message)
                : outcome.ToProblem();
}
