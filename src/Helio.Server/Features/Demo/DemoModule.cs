using Helio.Server.Features.Gateway;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Demo;

public static class DemoModule
{
    /// <param name="demo">Whether this run is a demo (--demo): it then polls faster, so values change while one watches.</param>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder, bool demo)
    {
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoMode>();
        builder.Services.AddSingleton<DemoLoggers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoLoggers>());
        if (demo)
        {
            builder.Services.AddOptions<GatewayOptions>().PostConfigure<IOptions<DemoOptions>>((gateway, options) => gateway.PollInterval = options.Value.PollInterval);
        }
        return builder;
    }
}
