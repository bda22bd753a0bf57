using Helio.Server.Features.Access;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.ApiAccounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Demo;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Gateway;
using Helio.Server.Features.Ingest;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Organisations;
using Helio.Server.Features.Plants;
using Helio.Server.Features.Privacy;
using Helio.Server.Features.RemoteControl;
using Helio.Server.Features.Sharing;
using Helio.Server.Features.Staff;
using Helio.Server.Features.Telemetry;
using Helio.Server.Features.Web;
using Helio.Server.Platform;
using Helio.Server.Platform.Hosting;

var commandLine = CommandLine.Parse(args);
// Settings and web assets come from beside the binary, wherever it is started from; the data
// directory (Helio:DataDirectory) stays relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = commandLine.HostArguments, ContentRootPath = AppContext.BaseDirectory });
HelioServer.AddFeatures(builder, commandLine.Demo);

var app = builder.Build();
if (commandLine.Command is { } command)
{
    return await AdminCommands.RunAsync(app, command);
}

HelioServer.UseFeatures(app);
await app.PrepareAsync(commandLine.Demo);
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

/// <summary>
/// Helio's table of contents: every feature, in the order its services are added and its routes mapped. The
/// benchmarks build their server from the same two lists, so that what they measure is the server that ships.
/// </summary>
public static class HelioServer
{
    public static void AddFeatures(WebApplicationBuilder builder, bool demo)
    {
        builder.AddPlatform();
        builder.AddMetricsEndpoint();
        builder.AddAudit();
        builder.AddAccounts();
        builder.AddPlants();
        builder.AddDevices();
        builder.AddTelemetry();
        builder.AddGateway();
        builder.AddIngest();
        builder.AddAlarms();
        builder.AddNotifications();
        builder.AddApiAccounts();
        builder.AddRemoteControl();
        builder.AddStaff();
        builder.AddAccess();
        builder.AddOrganisations();
        builder.AddSharing();
        builder.AddPrivacy();
        builder.AddDemo(demo);
        builder.AddWebUi();
    }

    public static void UseFeatures(WebApplication app)
    {
        // Order matters: the platform's middleware (errors, security headers, authentication) first; API accounts'
        // rate limit and debug log after authorisation; the audit of plant views last, around the endpoints.
        app.UsePlatform();
        app.UseApiAccounts();
        app.UseAudit();
        app.MapHealth();
        app.MapMetricsEndpoint();
        app.MapApiDocs();
        app.MapAudit();
        app.MapAccounts();
        app.MapPlants();
        app.MapDevices();
        app.MapTelemetry();
        app.MapGateway();
        app.MapIngest();
        app.MapAlarms();
        app.MapNotifications();
        app.MapApiAccounts();
        app.MapRemoteControl();
        app.MapStaff();
        app.MapAccess();
        app.MapOrganisations();
        app.MapSharing();
        app.MapPrivacy();
        app.MapWebUi();
    }
}
