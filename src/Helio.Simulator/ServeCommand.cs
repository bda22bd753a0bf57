using System.Globalization;
using Helio.Simulator.Faults;
using Helio.Simulator.Loggers;

namespace Helio.Simulator;

/// <summary>
/// serve --v5-port P [--modbus-port Q] [--discovery-port D|off]: N simulated loggers on the LAN (<see cref="LanLoggers"/>)
/// until stopped, with the timed faults and the garbage of the command line.
/// </summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(SimulatorArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        LanLoggers loggers;
        try
        {
            loggers = await LanLoggers.StartAsync(Options(args), cancellationToken);
        }
        catch (IOException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
        await using (loggers)
        {
            await output.WriteLineAsync($"V5 client mode on {loggers.V5EndPoint}");
            if (loggers.ModbusEndPoint is { } modbus)
            {
                await output.WriteLineAsync($"Modbus TCP on {modbus}");
            }
            if (loggers.DiscoveryEndPoint is { } discovery)
            {
                await output.WriteLineAsync($"discovery on UDP {discovery}");
            }
            var inverters = loggers.Loggers.Select(l => loggers.InverterOf(l.LoggerSerial)).ToList();
            foreach (var inverter in inverters)
            {
                inverter.Derate = args.Derate;
            }
            foreach (var (logger, inverter) in loggers.Loggers.Zip(inverters))
            {
                var unit = logger.ModbusUnit is { } u ? string.Create(CultureInfo.InvariantCulture, $"  unit {u}") : "";
                await output.WriteLineAsync(Fleet.Describe(logger.LoggerSerial, inverter) + unit);
            }
            FaultSchedule.Arm(args, inverters, loggers.GoOffline, output, cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl+C): the listeners close on the way out.
            }
        }
        return 0;
    }

    internal static LanLoggersOptions Options(SimulatorArguments args) => new()
    {
        V5Port = args.V5Port ?? throw new ArgumentException("--v5-port is required."),
        ModbusPort = args.ModbusPort,
        DiscoveryPort = args.DiscoveryPort,
        BindAddress = args.Bind,
        Count = args.Count,
        FirstSerial = args.FirstSerial,
        Seed = args.Seed,
        Speed = args.Speed,
        Start = args.Start,
        GarbageRate = args.Garbage,
    };
}
