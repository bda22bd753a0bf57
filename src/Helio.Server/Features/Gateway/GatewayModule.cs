namespace Helio.Server.Features.Gateway;

public static class GatewayModule
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton<ReadingWriter>();
        builder.Services.AddSingleton<IReadingSink>(sp => sp.GetRequiredService<ReadingWriter>());
        builder.Services.AddSingleton<LoggerPlants>();
        builder.Services.AddSingleton<ConnectedLoggers>();
        builder.Services.AddSingleton<LoggerWrites>();
        builder.Services.AddSingleton<LoggerLinks>();
        builder.Services.AddHostedService<LoggerPresenceRecorder>();
        builder.Services.AddSingleton<UnclaimedReadingsPurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UnclaimedReadingsPurge>());
        builder.Services.AddScoped<UnclaimedLoggers>();
        builder.Services.AddSingleton<GatewayListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayListener>());
        return builder;
    }

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/support/unclaimed-loggers", async (UnclaimedLoggers loggers, CancellationToken ct) => TypedResults.Ok(await loggers.ListAsync(ct)))
            .WithTags("Support").RequireAuthorization(Accounts.AccountsModule.SupportPolicy);
        return app;
    }
}
