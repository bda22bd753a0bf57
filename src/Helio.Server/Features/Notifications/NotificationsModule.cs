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
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddScoped<AlarmFanOut>();
        builder.Services.AddScoped<DailyDigests>();
        builder.Services.AddSingleton<AlarmNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmNotifier>());
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
