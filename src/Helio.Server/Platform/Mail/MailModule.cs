namespace Helio.Server.Platform.Mail;

public static class MailModule
{
    public static WebApplicationBuilder AddMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .Validate(o => o.MaxAttempts > 0, "Mail:MaxAttempts must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MailSignal>();
        builder.Services.AddScoped<MailOutbox>();
        builder.Services.AddHostedService<MailOutboxWorker>();
        return builder;
    }
}
