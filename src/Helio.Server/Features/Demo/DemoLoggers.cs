using System.Net;
using Helio.Server.Features.Gateway;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Demo;

/// <summary>
/// With --demo: one simulated Solarman logger per demo plant (Helio.Simulator's push-mode logger, its inverter at the
/// plant's place and size), connected in-process over real TCP to this server's own gateway, so that a newcomer sees
/// live readings arrive the way real loggers deliver them, and the inverters join the plants the way a registered
/// logger's inverter does. They start when <see cref="DemoMode"/> is switched on (only a --demo run does) and
/// disconnect when the server stops.
/// </summary>
internal sealed partial class DemoLoggers(DemoMode demo, GatewayListener gateway, IOptions<GatewayOptions> gatewayOptions, TimeProvider time, ILogger<DemoLoggers> logger)
    : BackgroundService
{
    /// <summary>A dropped connection is retried after this pause, as the simulator's push command does.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);

    /// <summary>So the demo has alarms to show: the last plant's inverter reports low insulation impedance (ID42, the
    /// morning-dew fault) for <see cref="FaultLasts"/>, <see cref="FirstFault"/> after the start and then every
    /// <see cref="FaultEvery"/>.</summary>
    private static readonly TimeSpan FaultEvery = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan FirstFault = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FaultLasts = TimeSpan.FromMinutes(3);

    private const int DemoFault = 42;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await demo.SwitchedOn.WaitAsync(stoppingToken);
            // The gateway listens on all interfaces; its own port on this machine is where real loggers would come in.
            var port = ((IPEndPoint)await gateway.BoundEndPoint.WaitAsync(stoppingToken)).Port;
            var loggers = DemoPlants.All.Select(Logger).ToList();
            LogStarting(logger, loggers.Count, port, gatewayOptions.Value.PollInterval);
            await Task.WhenAll(loggers.Select(l => RunAsync(l, port, stoppingToken)).Append(FaultsAsync(loggers[^1].Inverter, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server stops before the demo began.
        }
    }

    private SimulatedLogger Logger(DemoPlant plant, int index)
    {
        var place = new SimulatedPlant(plant.Latitude, plant.Longitude, TimeZoneInfo.FindSystemTimeZoneById(plant.TimeZone), plant.CapacityKwp);
        // Counters as of a plant that has run since its commissioning in 2024, about 1,000 kWh per kWp a year.
        var inverter = new SimulatedInverter(plant.InverterSerial, place, seed: 1, index, initialEnergyTotalKwh: plant.CapacityKwp * 2500);
        return new SimulatedLogger(plant.LoggerSerial, inverter, time);
    }

    private async Task RunAsync(SimulatedLogger simulated, int port, CancellationToken stoppingToken)
    {
        try
        {
            await simulated.KeepConnectedAsync("localhost", port, Retry, outage: null, e => LogDropped(logger, simulated.Serial, e.Message), stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A fault in a demo logger must not stop the server (an unhandled background failure would).
            LogFailed(logger, simulated.Serial, e);
        }
    }

    private async Task FaultsAsync(SimulatedInverter inverter, CancellationToken stoppingToken)
    {
        for (var pause = FirstFault; !stoppingToken.IsCancellationRequested; pause = FaultEvery - FaultLasts)
        {
            await Task.Delay(pause, time, stoppingToken);
            inverter.RaiseFault(DemoFault);
            LogFault(logger, inverter.SerialNumber, DemoFault, FaultLasts);
            await Task.Delay(FaultLasts, time, stoppingToken);
            inverter.ClearFaults();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: inverter {Serial} reports fault ID{Fault:D2} for {Duration}, so there is an alarm to see")]
    private static partial void LogFault(ILogger logger, string serial, int fault, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Count} simulated loggers connecting to the gateway on port {Port}, polled every {PollInterval}")]
    private static partial void LogStarting(ILogger logger, int count, int port, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo logger {LoggerSerial} dropped: {Reason}; reconnecting")]
    private static partial void LogDropped(ILogger logger, uint loggerSerial, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo logger {LoggerSerial} failed; the others go on")]
    private static partial void LogFailed(ILogger logger, uint loggerSerial, Exception exception);
}
