using Helio.Server.Features.Privacy.Lifecycle.Retention;
using Helio.Server.Features.Privacy.Requests;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// Deletion and account cancellation (issue 7, ADR 0026): fulfilments of the two kinds of request behind
/// <see cref="IRequestFulfilment"/>, the deletion job, and the retention rule that hands it cancelled accounts whose
/// grace period has ended. No routes of its
/// own: requests come through <c>POST /api/v1/me/requests</c> and the request pages.
/// </summary>
public static class DeletionModule
{
    public static WebApplicationBuilder AddPrivacyDeletion(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeletionOptions>().BindConfiguration(DeletionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeletionOptions>, DeletionOptionsValidation>();

        services.AddScoped<IRequestFulfilment, QueueDeletion>();
        services.AddSingleton(new AnsweredByHelio(RequestKind.Deletion));
        services.AddSingleton(new AnsweredByHelio(RequestKind.Cancellation));
        services.AddScoped<IRequestFulfilment, CancelAccount>();
        services.AddScoped<SendErasureNotices>();
        services.AddScoped<EraseRequester>();
        services.AddScoped<WithdrawCancellation>();
        services.AddScoped<IRetentionRule, CancelledAccountsDue>();
        services.AddSingleton<DeletionSignal>();
        services.AddSingleton<DeletionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DeletionJob>());
        return builder;
    }
}
