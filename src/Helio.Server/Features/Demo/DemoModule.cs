using Helio.Server.Features.Gateway;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Demo;

public static class DemoModule
{
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoMode>();
        builder.Services.AddSingleton<DemoLoggers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoLoggers>());
        // A demo polls faster. The seeder switches the demo on before the host starts, and so before the gateway
        // first reads its settings; a server that is not a demo keeps Gateway:PollInterval.
        builder.Services.AddOptions<GatewayOptions>().PostConfigure<IOptions<DemoOptions>, DemoMode>((gateway, options, mode) =>
        {
            if (mode.IsOn)
            {
                gateway.PollInterval = options.Value.PollInterval;
            }
        });
        return builder;
    }
}
