using System.Globalization;
using System.Net.Sockets;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;

namespace Helio.Simulator;

/// <summary>
/// push --server HOST:PORT --count N [--first-serial S] [--interval SECONDS] [--seed N] [--speed X] [--fault ID@SECONDS]:
/// connects N simulated loggers to a Helio gateway in push mode and keeps them there until stopped.
/// </summary>
public static class PushCommand
{
    private static readonly string[] Zones = ["Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw", "Europe/Amsterdam"];

    public static async Task<int> RunAsync(SimulatorArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var (host, port) = args.Server ?? throw new ArgumentException("--server HOST:PORT is required.");
        var clock = args.Speed == 1 ? TimeProvider.System : new CompressedTime(TimeProvider.System.GetUtcNow(), args.Speed, TimeProvider.System);
        var loggers = Enumerable.Range(0, args.Count).Select(i => Create(args, i, clock)).ToList();
        foreach (var logger in loggers)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logger {logger.Serial:D10}  inverter {logger.Inverter.SerialNumber}"));
        }
        if (args.Fault is { } fault)
        {
            _ = Task.Delay(fault.After, cancellationToken).ContinueWith(_ => loggers.ForEach(l => l.Inverter.RaiseFault(fault.Id)), TaskScheduler.Default);
        }
        var sessions = loggers.Select(l => KeepConnectedAsync(l, host, port, output, cancellationToken)).ToList();
        await Task.WhenAll(sessions);
        return 0;
    }

    internal static SimulatedLogger Create(SimulatorArguments args, int i, TimeProvider clock)
    {
        // Plants spread over Europe, sizes of homes and small businesses; all from the seed.
        var random = new Random(HashCode.Combine(args.Seed, i));
        var plant = new SimulatedPlant(
            Latitude: 38 + (random.NextDouble() * 16),
            Longitude: -5 + (random.NextDouble() * 25),
            TimeZone: TimeZoneInfo.FindSystemTimeZoneById(Zones[i % Zones.Length]),
            CapacityKwp: Math.Round(3 + (random.NextDouble() * 12), 1));
        var serial = args.FirstSerial + (uint)i;
        var inverter = new SimulatedInverter(string.Create(CultureInfo.InvariantCulture, $"SS1ES{serial:D10}"), plant, (ulong)args.Seed, i, initialEnergyTotalKwh: random.Next(1000, 30000));
        return new SimulatedLogger(serial, inverter, clock) { HeartbeatInterval = args.Interval };
    }

    /// <summary>Stays connected like a real logger: after a drop, it reconnects after a pause.</summary>
    private static async Task KeepConnectedAsync(SimulatedLogger logger, string host, int port, TextWriter output, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await logger.RunAsync(host, port, cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"logger {logger.Serial:D10}: {e.Message}; reconnecting in 10 s"));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
