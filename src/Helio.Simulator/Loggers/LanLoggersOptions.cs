using System.Net;

namespace Helio.Simulator.Loggers;

/// <summary>How <see cref="LanLoggers"/> run: which ports, how many loggers, and the plants, clock and faults behind them.</summary>
public sealed record LanLoggersOptions
{
    /// <summary>TCP port of V5 client mode (real loggers: 8899); 0 = any free port.</summary>
    public int V5Port { get; init; }

    /// <summary>TCP port of plain Modbus TCP; null = off, 0 = any free port. With it, <see cref="Count"/> is at most 247.</summary>
    public int? ModbusPort { get; init; }

    /// <summary>UDP port answering the discovery broadcast (real loggers: 48899); null = off, 0 = any free port.</summary>
    public int? DiscoveryPort { get; init; }

    /// <summary>Where to listen: loopback unless told otherwise, so that tests expose nothing.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    public int Count { get; init; } = 1;

    /// <summary>The first logger's serial (10 digits); the others count up from it.</summary>
    public uint FirstSerial { get; init; } = 2_700_000_001;

    /// <summary>Makes plants (as the push command spreads them over Europe), weather, counters and garbage reproducible.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Simulated time runs this many times faster than real time.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>The simulated instant at start (e.g. noon in June, so that inverters produce); null = now.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Fraction (0 to 1) of the frames the loggers send that is replaced by garbage.</summary>
    public double GarbageRate { get; init; }

    /// <summary>Field quirks of V5 responses (double CRC, interleaved heartbeats).</summary>
    public LoggerQuirks Quirks { get; init; }

    /// <summary>Connections held at once per port; more are closed as they arrive.</summary>
    public int MaxConnections { get; init; } = 1024;
}
