using Helio.Server.Features.Gateway;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;
using Microsoft.Extensions.Time.Testing;

namespace Helio.Server.Tests.Gateway;

/// <summary>Simulated loggers for the gateway tests, and waiting for what they cause.</summary>
internal static class TestLoggers
{
    /// <summary>Counters for gateways built by hand in tests (the running server registers its own).</summary>
    public static GatewayMetrics Metrics { get; } = new(new System.Diagnostics.Metrics.Meter("Helio.Gateway.Tests"));

    /// <summary>A logger whose G3 inverter near Munich stands at noon on 21 June, so it produces (and its values are not zero).</summary>
    public static (SimulatedLogger Logger, SimulatedInverter Inverter) AtNoon(uint serial, string inverterSerial)
    {
        var noon = new FakeTimeProvider(new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero));
        var inverter = new SimulatedInverter(inverterSerial, new SimulatedPlant(48.14, 11.58, TimeZoneInfo.Utc, 10), seed: serial, index: 0);
        return (new SimulatedLogger(serial, inverter, noon), inverter);
    }

    /// <summary>Runs the logger against the gateway on this machine until cancelled or disconnected by the server.</summary>
    public static async Task RunAsync(SimulatedLogger logger, int port, CancellationToken cancellationToken)
    {
        try
        {
            await logger.RunAsync("127.0.0.1", port, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
