using System.Globalization;
using System.Net;
using Helio.Protocols.Discovery;
using Helio.Simulator.Faults;

namespace Helio.Simulator;

/// <summary>The simulator's command line. Every option is explicit; a bad one is an error that names it.</summary>
public sealed record SimulatorArguments
{
    /// <summary>Modbus unit ids are 1 to 247, so Modbus TCP serves at most that many inverters.</summary>
    public const int MaxModbusUnits = 247;

    private static readonly string[] PushOnly = ["--server", "--interval"];
    private static readonly string[] ServeOnly = ["--v5-port", "--modbus-port", "--discovery-port", "--bind"];

    public required string Command { get; init; }
    public (string Host, int Port)? Server { get; init; }
    public int Count { get; init; } = 1;
    public uint FirstSerial { get; init; } = 2_700_000_001;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(120);
    public int Seed { get; init; } = 1;
    public double Speed { get; init; } = 1;
    /// <summary>The simulated instant at start; null = now.</summary>
    public DateTimeOffset? Start { get; init; }
    public (int Id, TimeSpan After)? Fault { get; init; }
    public (TimeSpan Duration, TimeSpan After)? Offline { get; init; }
    public double Garbage { get; init; }
    /// <summary>Share of normal output every inverter delivers (1 = healthy).</summary>
    public double Derate { get; init; } = 1;
    public int? V5Port { get; init; }
    public int? ModbusPort { get; init; }
    /// <summary>Null: no discovery.</summary>
    public int? DiscoveryPort { get; init; } = LoggerDiscovery.Port;
    public IPAddress Bind { get; init; } = IPAddress.Any;

    public const string Usage = """
        helio-simulator push --server HOST:PORT [--interval SECONDS] [options of both]
          Connects N simulated Solarman loggers, each with a SOFAR G3 inverter, to a Helio gateway in push mode.
          --server          where the gateway listens for loggers (its Gateway:Port, usually 10000)
          --interval        heartbeat interval in seconds (default 120)

        helio-simulator serve --v5-port P [--modbus-port Q] [--discovery-port D|off] [--bind ADDRESS] [options of both]
          Acts as N Solarman loggers on the LAN, each with a SOFAR G3 inverter, for LAN collectors and Modbus tools.
          --v5-port         TCP port of V5 client mode (real loggers: 8899); a request is answered by the logger
                            whose serial it carries; 0 = any free port (printed)
          --modbus-port     TCP port of plain Modbus TCP (real gateways: 502), the inverters as unit ids 1 to N
                            (so N is at most 247); 0 = any free port; without it, no Modbus TCP
          --discovery-port  UDP port answering the discovery broadcast (default 48899); off = no discovery
          --bind            address to listen on (default 0.0.0.0, every interface)

        Options of both:
          --count           number of loggers (default 1)
          --first-serial    first logger serial (10 digits, default 2700000001); the others follow
          --seed            makes plants, weather, counters and garbage reproducible (default 1)
          --speed           simulated time runs this many times faster (default 1)
          --start INSTANT   simulated time starts there, e.g. 2026-06-21T10:00:00Z (default: now)
          --fault ID@SECONDS        raises fault ID on every inverter SECONDS after the start (e.g. 42@60)
          --offline SECONDS@AFTER   every logger goes offline for SECONDS, AFTER seconds after the start (e.g.
                            30@60): push loggers drop their connection and reconnect when back; serve drops its
                            connections, closes new ones and ignores discovery until then
          --garbage RATE    this fraction (0 to 1, e.g. 0.05) of the frames the loggers send is replaced by
                            garbage: random bytes, a wrong checksum (V5) or a truncated frame
          --derate SHARE    every inverter delivers this share (above 0, up to 1, e.g. 0.4) of its normal output,
                            with no fault: an underperforming plant (default 1)
        """;

    public static SimulatorArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("push" or "serve"))
        {
            throw new ArgumentException("The command must be push or serve.");
        }
        var parsed = new SimulatorArguments { Command = args[0] };
        for (var i = 1; i < args.Length; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            if ((parsed.Command == "push" ? ServeOnly : PushOnly).Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"{name} is an option of {(parsed.Command == "push" ? "serve" : "push")}, not {parsed.Command}.");
            }
            parsed = name switch
            {
                "--server" => parsed with { Server = ParseServer(value) },
                "--count" => parsed with { Count = Number(name, value, 1, Fleet.MaxCount) },
                "--first-serial" => parsed with { FirstSerial = value.Length == 10 && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new ArgumentException("--first-serial must have 10 digits.") },
                "--interval" => parsed with { Interval = TimeSpan.FromSeconds(Number(name, value, 1, 3600)) },
                "--seed" => parsed with { Seed = Number(name, value, 0, int.MaxValue) },
                "--speed" => parsed with { Speed = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 1 and <= 100_000 ? x : throw new ArgumentException("--speed must be between 1 and 100000.") },
                "--start" => parsed with { Start = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start) ? start : throw new ArgumentException("--start must be an instant, e.g. 2026-06-21T10:00:00Z.") },
                "--fault" => parsed with { Fault = ParseFault(value) },
                "--offline" => parsed with { Offline = ParseOffline(value) },
                "--garbage" => parsed with { Garbage = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) && g is >= 0 and <= 1 ? g : throw new ArgumentException("--garbage must be a fraction from 0 to 1, e.g. 0.05.") },
                "--derate" => parsed with { Derate = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 1 ? d : throw new ArgumentException("--derate must be a share above 0 and up to 1, e.g. 0.4.") },
                "--v5-port" => parsed with { V5Port = Number(name, value, 0, 65535) },
                "--modbus-port" => parsed with { ModbusPort = Number(name, value, 0, 65535) },
                "--discovery-port" => parsed with { DiscoveryPort = value == "off" ? null : Number(name, value, 0, 65535) },
                "--bind" => parsed with { Bind = IPAddress.TryParse(value, out var address) ? address : throw new ArgumentException("--bind must be an IP address, e.g. 0.0.0.0 or 192.168.1.20.") },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        return parsed.Checked();
    }

    /// <summary>What only the options together can tell.</summary>
    private SimulatorArguments Checked()
    {
        if (Command == "push" && Server is null)
        {
            throw new ArgumentException("--server HOST:PORT is required.");
        }
        if (Command == "serve" && V5Port is null)
        {
            throw new ArgumentException("--v5-port is required (a real logger listens on 8899).");
        }
        if (ModbusPort is not null && Count > MaxModbusUnits)
        {
            throw new ArgumentException($"--count must be at most {MaxModbusUnits} with --modbus-port: Modbus unit ids are 1 to {MaxModbusUnits}.");
        }
        if (!Fleet.SerialsFit(FirstSerial, Count))
        {
            throw new ArgumentException($"--first-serial {FirstSerial} with --count {Count} runs past the last 10-digit serial, {uint.MaxValue}.");
        }
        return this;
    }

    private static (string, int) ParseServer(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (value[..colon], port)
            : throw new ArgumentException("--server must be HOST:PORT, e.g. localhost:10000.");
    }

    private static (int, TimeSpan) ParseFault(string value) =>
        TwoNumbers(value, out var id, out var seconds) && id is >= 1 and <= 256
            ? (id, TimeSpan.FromSeconds(seconds))
            : throw new ArgumentException("--fault must be ID@SECONDS, e.g. 42@60.");

    private static (TimeSpan, TimeSpan) ParseOffline(string value) =>
        TwoNumbers(value, out var duration, out var after) && duration >= 1 && TimeSpan.FromSeconds(duration) <= Outage.MaxDuration
            ? (TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(after))
            : throw new ArgumentException($"--offline must be SECONDS@AFTER with 1 to {Outage.MaxDuration.TotalSeconds:0} seconds offline, e.g. 30@60 (offline for 30 s, 60 s after the start).");

    /// <summary>"A@B", both whole numbers.</summary>
    private static bool TwoNumbers(string value, out int a, out int b)
    {
        var parts = value.Split('@');
        b = 0;
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out a)
            && parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out b);
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
}
