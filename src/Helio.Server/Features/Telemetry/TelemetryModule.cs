using Helio.Server.Platform.Data;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The time-series store (ADR 0013): raw readings as wide rows, written in batches by <see cref="TelemetryWriter"/>;
/// rollups per device and plant in the plant's local time; the query API and exports the dashboards read.
/// </summary>
public static class TelemetryModule
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeviceNumbers>();
        builder.Services.AddSingleton<ReadingPartitions>();
        builder.Services.AddSingleton<IReadingStore>(sp =>
        {
            var target = sp.GetRequiredService<DatabaseTarget>();
            return target.Provider == DatabaseProvider.Postgres
                ? new PostgresReadingStore(target.ConnectionString, sp.GetRequiredService<DeviceNumbers>(), sp.GetRequiredService<ReadingPartitions>())
                : new SqliteReadingStore(target.ConnectionString, sp.GetRequiredService<DeviceNumbers>());
        });
        builder.Services.AddSingleton<TelemetryWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryWriter>());
        builder.Services.AddScoped<RawReadings>();
        builder.Services.AddScoped<PlantOverviews>();
        builder.Services.AddScoped<PowerCurves>();
        builder.Services.AddScoped<EnergyBars>();
        builder.Services.AddScoped<DeviceTelemetry>();
        builder.Services.AddScoped<DeviceReadings>();
        builder.Services.AddSingleton<ClosedPeriodCache>();
        builder.Services.AddSingleton<RawRetention>();
        builder.Services.AddSingleton<TelemetryMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryMaintenance>());
        builder.Services.AddSingleton<RollupWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RollupWorker>());
        return builder;
    }

    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        // All reads: API accounts' tokens reach them too, for their associated plants only.
        TelemetryEndpoints.Map(app.MapGroup("/api/v1").WithTags("Telemetry").RequireAuthorization(ApiAccounts.ApiAccountsModule.ReadPolicy));
        TelemetryEndpoints.Map(app.MapGroup("/web").WithTags("Telemetry (web UI)").ExcludeFromDescription().RequireAuthorization(Accounts.AccountsModule.WebPolicy));
        return app;
    }
}
