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
        // Mailings: one text to many users, queued into the outbox in batches.
        builder.Services.AddSingleton<MailingSignal>();
        builder.Services.AddSingleton<MailingAudiences>();
        builder.Services.AddScoped<Mailings>();
        builder.Services.AddSingleton<MailingWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailingWorker>());
        return builder;
    }
}
