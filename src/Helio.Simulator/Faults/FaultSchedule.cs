using System.Globalization;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Faults;

/// <summary>The command line's timed faults (--fault, --offline), for push and serve alike.</summary>
internal static class FaultSchedule
{
    /// <summary>Raises the fault on every inverter and takes every logger offline, each after its delay, unless stopped first.</summary>
    public static void Arm(SimulatorArguments args, IReadOnlyList<SimulatedInverter> inverters, Action<TimeSpan> goOffline, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Fault is { } fault)
        {
            _ = LaterAsync(fault.After, () =>
            {
                foreach (var inverter in inverters)
                {
                    inverter.RaiseFault(fault.Id);
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fault ID{fault.Id:D2} raised on every inverter"));
            }, cancellationToken);
        }
        if (args.Offline is { } offline)
        {
            _ = LaterAsync(offline.After, () =>
            {
                goOffline(offline.Duration);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"every logger offline for {offline.Duration.TotalSeconds:0} s"));
            }, cancellationToken);
        }
    }

    private static async Task LaterAsync(TimeSpan delay, Action action, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        action();
    }
}
