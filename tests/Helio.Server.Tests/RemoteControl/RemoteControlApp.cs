using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Gateway;
using Helio.Server.Tests.Infrastructure;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.RemoteControl;

/// <summary>
/// Helio on real time with short remote-control timings: operations are looked for every 200 ms and a pending one
/// whose logger is not heard fails after 4 s, so the tests see every outcome within seconds.
/// </summary>
public abstract class RemoteControlApp(Provider provider) : HelioApp(provider)
{
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(4);

    public async Task<int> GatewayPortAsync() => ((IPEndPoint)await Services.GetRequiredService<GatewayListener>().BoundEndPoint).Port;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("Gateway:PollInterval", "00:00:02");
        builder.UseSetting("RemoteControl:PollInterval", "00:00:00.200");
        builder.UseSetting("RemoteControl:OfflineAfter", OfflineAfter.ToString());
        builder.UseSetting("RemoteControl:OperationTimeout", "00:00:08");
    }
}

public sealed class SqliteRemoteControlApp() : RemoteControlApp(Provider.Sqlite);

public sealed class PostgresRemoteControlApp() : RemoteControlApp(Provider.Postgres);

/// <summary>A plant with a registered logger whose simulated inverter talks to the app's gateway over real TCP.</summary>
public sealed class Site(Guid plantId, string loggerSerial, string inverterSerial, SimulatedLogger logger, SimulatedInverter inverter) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    public Guid PlantId { get; } = plantId;
    public string LoggerSerial { get; } = loggerSerial;
    public string InverterSerial { get; } = inverterSerial;
    public SimulatedLogger Logger { get; } = logger;
    public SimulatedInverter Inverter { get; } = inverter;

    /// <summary>Creates the plant, registers the logger, connects it and waits until its inverter is identified, adopted and read.</summary>
    public static async Task<Site> ConnectAsync(RemoteControlApp app, Owner owner)
    {
        var site = await RegisterAsync(app, owner);
        await site.ConnectAsync(app);
        return site;
    }

    /// <summary>The plant and its logger, registered; the logger is not connected.</summary>
    public static async Task<Site> RegisterAsync(HelioApp app, Owner owner)
    {
        var plantId = await owner.CreatePlantAsync("Operated roof");
        var loggerSerial = (uint)Random.Shared.Next(1_000_000_000, 2_000_000_000);
        var loggerText = loggerSerial.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plantId}/devices", new { serialNumber = loggerText, kind = "logger" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var inverterSerial = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (logger, inverter) = TestLoggers.AtNoon(loggerSerial, inverterSerial);
        return new Site(plantId, loggerText, inverterSerial, logger, inverter);
    }

    /// <summary>Connects the logger to <paramref name="app"/>'s gateway, or to <paramref name="port"/> (another node's).</summary>
    public async Task ConnectAsync(RemoteControlApp app, int? port = null)
    {
        port ??= await app.GatewayPortAsync();
        running = TestLoggers.RunAsync(Logger, port.Value, stop.Token);
        // Ready when a reading has told the store which logger the inverter is heard through.
        await Eventually.True(async () =>
        {
            await using var scope = app.Scope();
            return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().TelemetryDevices
                .AnyAsync(d => d.Serial == InverterSerial && d.LoggerSerial == LoggerSerial, TestContext.Current.CancellationToken);
        }, "the inverter identified and read through the logger", TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }
}
