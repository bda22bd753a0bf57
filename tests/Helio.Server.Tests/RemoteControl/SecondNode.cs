using System.Globalization;
using System.Net;
using Helio.Server.Features.Gateway;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.RemoteControl;

/// <summary>
/// Another Helio node on the same database and data directory as <paramref name="first"/>: a second server behind a load
/// balancer, with its own gateway port (so its own loggers) and its own background workers.
/// </summary>
public sealed class SecondNode(HelioApp first) : WebApplicationFactory<Program>
{
    public async Task<int> GatewayPortAsync()
    {
        _ = Server;
        return ((IPEndPoint)await Services.GetRequiredService<GatewayListener>().BoundEndPoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Helio:DataDirectory", first.DataDirectory);
        builder.UseSetting("Database:Provider", first.Provider.ToString());
        if (first.ConnectionString is { } connectionString)
        {
            builder.UseSetting("ConnectionStrings:Helio", connectionString);
        }
        builder.UseSetting("Mail:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Mail:Smtp:Port", first.Mail.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:Smtp:Security", "None");
        builder.UseSetting("Helio:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Gateway:Port", "0");
        builder.UseSetting("Gateway:PollInterval", "00:00:02");
        builder.UseSetting("RemoteControl:PollInterval", "00:00:00.200");
        builder.UseSetting("RemoteControl:OfflineAfter", RemoteControlApp.OfflineAfter.ToString());
    }
}
