using Helio.Server.Features.Accounts;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// Telling people about alarms (ADR 0015): the notifier fans each alarm event out to the plant's users per their
/// settings (e-mail through the mail outbox, web push, webhooks), with quiet hours, a daily digest and rate limits;
/// webhook and push deliveries are retried and end in a dead-letter list the owner can replay.
/// </summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RetryBase > TimeSpan.Zero && o.DeliveryTimeout > TimeSpan.Zero && o.DeliveryPollInterval > TimeSpan.Zero,
                "Notifications:RetryBase, DeliveryTimeout and DeliveryPollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddScoped<AlarmFanOut>();
        builder.Services.AddScoped<DailyDigests>();
        builder.Services.AddSingleton<AlarmNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmNotifier>());
        builder.Services.AddSingleton<VapidKeys>();
        builder.Services.AddScoped<ManageNotificationSettings>();
        builder.Services.AddScoped<ManagePlantNotificationSettings>();
        builder.Services.AddScoped<ManageWebhooks>();
        builder.Services.AddScoped<QueueTestDelivery>();
        builder.Services.AddScoped<ListDeliveries>();
        builder.Services.AddScoped<ReplayDelivery>();
        builder.Services.AddScoped<ManagePushSubscriptions>();
        builder.Services.AddScoped<SendWebhook>();
        builder.Services.AddScoped<SendPush>();
        builder.Services.AddHttpClient(WebhookTargets.ClientName, (sp, client) =>
            {
                // The worker also bounds each attempt; this is the backstop for anything else using the client.
                client.Timeout = sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.DeliveryTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookTargets.Handler(sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.AllowPrivateTargets));
        builder.Services.AddHostedService<DeliveryWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        NotificationEndpoints.Map(app.MapGroup("/api/v1").WithTags("Notifications").RequireAuthorization(AccountsModule.ApiPolicy));
        PushWebEndpoints.Map(app.MapGroup("/web/push").WithTags("Notifications (web UI)").ExcludeFromDescription().RequireAuthorization(AccountsModule.WebPolicy));
        return app;
    }
}
