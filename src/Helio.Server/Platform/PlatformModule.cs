using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Hosting;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform;

/// <summary>The cross-cutting parts every feature stands on, in the order they matter.</summary>
public static class PlatformModule
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HelioOptions>().BindConfiguration(HelioOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Jobs.JobLeases>();
        // Structured logs: one JSON object per line outside development, for log shippers. Messages carry
        // ids and kinds only (no names, addresses or numbers); tests hold the whole log to that.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        // On SIGTERM, in-flight requests and the current mail batch get this long to finish.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.AddDatabase();
        builder.AddEncryption();
        // Cookie and token keys live in the database, so every node of a fleet shares them, encrypted by the KEK.
        builder.Services.AddDataProtection().SetApplicationName("Helio").PersistKeysToDbContext<HelioDbContext>();
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new KekXmlEncryptor(services.GetRequiredService<KeyRing>())));
        builder.AddMail();
        builder.AddProblemResponses();
        builder.AddRateLimits();
        builder.AddTls();
        builder.AddHealth();
        builder.AddApiDocs();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseTls();
        app.UseProblemResponses();
        app.UseSecurityHeaders();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
