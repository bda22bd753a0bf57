using System.Globalization;

namespace Helio.Simulator;

/// <summary>The simulator's command line. Every option is explicit; a bad one is an error that names it.</summary>
public sealed record SimulatorArguments
{
    public required string Command { get; init; }
    public (string Host, int Port)? Server { get; init; }
    public int Count { get; init; } = 1;
    public uint FirstSerial { get; init; } = 2_700_000_001;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(120);
    public int Seed { get; init; } = 1;
    public double Speed { get; init; } = 1;
    public (int Id, TimeSpan After)? Fault { get; init; }

    public const string Usage = """
        helio-simulator push --server HOST:PORT --count N [--first-serial S] [--interval SECONDS] [--seed N] [--speed X] [--fault ID@SECONDS]
          Connects N simulated Solarman loggers, each with a SOFAR G3 inverter, to a Helio gateway in push mode.
          --first-serial  first logger serial (10 digits, default 2700000001); the others follow
          --interval      heartbeat interval in seconds (default 120)
          --seed          makes plants, weather and counters reproducible (default 1)
          --speed         simulated time runs this many times faster (default 1)
          --fault         raises fault ID on every inverter after SECONDS (e.g. 42@60)
        """;

    public static SimulatorArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not "push")
        {
            throw new ArgumentException("The command must be push.");
        }
        var parsed = new SimulatorArguments { Command = args[0] };
        for (var i = 1; i < args.Length; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            parsed = name switch
            {
                "--server" => parsed with { Server = ParseServer(value) },
                "--count" => parsed with { Count = Number(name, value, 1, 100_000) },
                "--first-serial" => parsed with { FirstSerial = value.Length == 10 && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new ArgumentException("--first-serial must have 10 digits.") },
                "--interval" => parsed with { Interval = TimeSpan.FromSeconds(Number(name, value, 1, 3600)) },
                "--seed" => parsed with { Seed = Number(name, value, 0, int.MaxValue) },
                "--speed" => parsed with { Speed = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 1 and <= 100_000 ? x : throw new ArgumentException("--speed must be between 1 and 100000.") },
                "--fault" => parsed with { Fault = ParseFault(value) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (parsed.Server is null)
        {
            throw new ArgumentException("--server HOST:PORT is required.");
        }
        return parsed;
    }

    private static (string, int) ParseServer(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (value[..colon], port)
            : throw new ArgumentException("--server must be HOST:PORT, e.g. localhost:10000.");
    }

    private static (int, TimeSpan) ParseFault(string value)
    {
        var parts = value.Split('@');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 256
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? (id, TimeSpan.FromSeconds(seconds))
            : throw new ArgumentException("--fault must be ID@SECONDS, e.g. 42@60.");
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
}
