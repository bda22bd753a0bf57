using System.Globalization;
using Helio.Simulator.Faults;
using Helio.Simulator.Loggers;

namespace Helio.Simulator;

/// <summary>
/// push --server HOST:PORT: connects N simulated loggers to a Helio gateway in push mode and keeps them there until
/// stopped, with the timed faults and the garbage of the command line.
/// </summary>
public static class PushCommand
{
    /// <summary>A dropped connection is retried after this pause, as real loggers do (roughly).</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(SimulatorArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var (host, port) = args.Server ?? throw new ArgumentException("--server HOST:PORT is required.");
        var clock = CompressedTime.For(args.Start, args.Speed);
        var loggers = Enumerable.Range(0, args.Count).Select(i => Create(args, i, clock)).ToList();
        foreach (var logger in loggers)
        {
            await output.WriteLineAsync(Fleet.Describe(logger.Serial, logger.Inverter));
        }
        var outage = new Outage();
        FaultSchedule.Arm(args, [.. loggers.Select(l => l.Inverter)], outage.Begin, output, cancellationToken);
        var sessions = loggers.Select(l => l.KeepConnectedAsync(host, port, Retry, outage, e => Dropped(output, l, e), cancellationToken));
        await Task.WhenAll(sessions);
        return 0;
    }

    internal static SimulatedLogger Create(SimulatorArguments args, int i, TimeProvider clock)
    {
        var (serial, inverter) = Fleet.Create(args.Seed, args.FirstSerial, i);
        inverter.Derate = args.Derate;
        return new SimulatedLogger(serial, inverter, clock)
        {
            HeartbeatInterval = args.Interval,
            // One garbler per logger, seeded by its index, so that each logger's garbage is reproducible.
            Garbage = args.Garbage > 0 ? new FrameGarbler(args.Garbage, Fleet.SeedOf(args.Seed, i)) : null,
        };
    }

    private static void Dropped(TextWriter output, SimulatedLogger logger, Exception e) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logger {logger.Serial:D10}: {e.Message}; reconnecting in {Retry.TotalSeconds:0} s"));
}
