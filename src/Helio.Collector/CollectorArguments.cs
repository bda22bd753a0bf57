using System.Globalization;
using System.Net;
using Helio.Collector.Sources;
using Helio.Protocols.Discovery;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector;

/// <summary>The collector's command line. Every option is explicit; a bad one is an error that names it and never repeats the key.</summary>
public static class CollectorArguments
{
    public const string KeyVariable = "HELIO_INGEST_KEY";

    /// <summary>Sources one collector polls at most (given and discovered are limited separately).</summary>
    public const int MaxSources = 64;

    // What the ingest API accepts as an inverter serial (docs/ingest.md): refused here rather than by the server.
    private const int MinInverterSerialLength = 6;
    private const int MaxInverterSerialLength = 32;

    public const string Usage = """
        helio-collector --server URL [--key KEY] [--interval S] [--model g3|ktlx]
                        [--v5 HOST[:PORT]@LOGGERSERIAL]... [--modbus HOST[:PORT][/UNIT]]...
                        [--discover] [--discover-address ADDR[:PORT]] [--discover-v5-port P]
          Polls SOFAR inverters behind loggers on this LAN and forwards their readings to a Helio server.
          --server            the Helio server, e.g. https://helio.example.org
          --key               the plant's ingest key; better: set HELIO_INGEST_KEY (a command line is visible to other users)
          --interval          seconds between two readings of each inverter (default 60)
          --model             the inverters' register map: g3 (default) or ktlx
          --v5                a logger in client mode (V5 over TCP, default port 8899) and its 10-digit serial
          --modbus            a Modbus TCP device (default port 502, unit 1)
          --discover          finds loggers by the UDP broadcast to 255.255.255.255:48899 and polls each over V5
          --discover-address  sends the discovery request there instead (a subnet's broadcast address, or one logger)
          --discover-v5-port  the V5 port found loggers are polled on (default 8899)
          Append =SERIAL to a --v5 or --modbus source to name its inverter when the model has no serial-number
          registers (ktlx), e.g. --modbus 192.168.1.20/1=SF4ES005N1234.
        """;

    /// <summary>Parses the command line; the key comes from --key or <paramref name="environment"/>(HELIO_INGEST_KEY).</summary>
    public static CollectorOptions Parse(string[] args, Func<string, string?> environment)
    {
        Uri? server = null;
        string? key = null;
        var interval = TimeSpan.FromSeconds(60);
        var map = RegisterMap.SofarG3;
        var sources = new List<LoggerSource>();
        var discover = false;
        IPEndPoint? discoveryTarget = null;
        var discoveredPort = LoggerSource.DefaultV5Port;

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--discover")
            {
                discover = true;
                continue;
            }
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException(name.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value." : $"Unexpected argument '{name}': options start with --.");
            switch (name)
            {
                case "--server":
                    server = ParseServer(value);
                    break;
                case "--key":
                    key = value;
                    break;
                case "--interval":
                    interval = TimeSpan.FromSeconds(Number(name, value, 5, 86_400));
                    break;
                case "--model":
                    map = value switch
                    {
                        "g3" => RegisterMap.SofarG3,
                        "ktlx" => RegisterMap.SofarKtlx,
                        _ => throw new ArgumentException("--model must be g3 or ktlx."),
                    };
                    break;
                case "--v5":
                    sources.Add(ParseV5(value));
                    break;
                case "--modbus":
                    sources.Add(ParseModbus(value));
                    break;
                case "--discover-address":
                    discoveryTarget = ParseDiscoveryAddress(value);
                    discover = true;
                    break;
                case "--discover-v5-port":
                    discoveredPort = Number(name, value, 1, 65_535);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }

        key ??= environment(KeyVariable);
        if (server is null)
        {
            throw new ArgumentException("--server URL is required.");
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException($"--key (or the environment variable {KeyVariable}) is required: the plant's ingest key.");
        }
        if (key.Length > 512 || key.Any(char.IsControl))
        {
            throw new ArgumentException("--key is not an ingest key (too long, or control characters).");
        }
        if (sources.Count == 0 && !discover)
        {
            throw new ArgumentException("Nothing to poll: give --v5, --modbus or --discover.");
        }
        if (sources.Count > MaxSources)
        {
            throw new ArgumentException($"At most {MaxSources} --v5 and --modbus sources.");
        }
        if (map.SerialNumber is null)
        {
            if (sources.FirstOrDefault(s => s.InverterSerial is null) is { } unnamed)
            {
                throw new ArgumentException($"--model {ModelName(map)} has no serial-number registers: name the inverter of {unnamed} with =SERIAL.");
            }
            if (discover)
            {
                throw new ArgumentException($"--discover cannot be used with --model {ModelName(map)}: its inverters cannot tell their serial numbers; give each with --v5 …=SERIAL.");
            }
        }
        var twice = sources.GroupBy(s => s.Kind == SourceKind.V5 ? $"v5 {s.LoggerSerial}" : $"modbus {s.Host}:{s.Port}/{s.Unit}").FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new ArgumentException($"{twice.First()} is given twice.");
        }

        return new CollectorOptions
        {
            Server = server,
            IngestKey = key,
            Interval = interval,
            Map = map,
            Sources = sources,
            Discovery = discover ? discoveryTarget ?? CollectorOptions.DefaultDiscovery : null,
            DiscoveredV5Port = discoveredPort,
        };
    }

    private static string ModelName(RegisterMap map) => map == RegisterMap.SofarKtlx ? "ktlx" : "g3";

    private static Uri ParseServer(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException("--server must be an http:// or https:// address, e.g. https://helio.example.org.");
        }
        if (uri.UserInfo.Length > 0)
        {
            // It would be printed with the address; the ingest key is the credential.
            throw new ArgumentException("--server must not carry a user name or password; the ingest key goes in --key.");
        }
        return uri;
    }

    /// <summary>HOST[:PORT]@LOGGERSERIAL[=INVERTERSERIAL]</summary>
    private static LoggerSource ParseV5(string value)
    {
        var (rest, inverter) = SplitInverterSerial("--v5", value);
        var at = rest.LastIndexOf('@');
        if (at <= 0)
        {
            throw new ArgumentException("--v5 must be HOST[:PORT]@LOGGERSERIAL, e.g. 192.168.1.20@2712345678.");
        }
        if (!uint.TryParse(rest.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var serial) || serial == 0)
        {
            throw new ArgumentException("--v5: the logger serial must be the number on the logger's label (up to 10 digits, at most 4294967295).");
        }
        var (host, port) = ParseHostPort("--v5", rest[..at], LoggerSource.DefaultV5Port);
        return LoggerSource.V5(host, port, serial, inverterSerial: inverter);
    }

    /// <summary>HOST[:PORT][/UNIT][=INVERTERSERIAL]</summary>
    private static LoggerSource ParseModbus(string value)
    {
        var (rest, inverter) = SplitInverterSerial("--modbus", value);
        var unit = LoggerSource.DefaultUnit;
        var slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            unit = byte.TryParse(rest.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u >= 1
                ? u
                : throw new ArgumentException("--modbus: the unit id after / must be from 1 to 255.");
            rest = rest[..slash];
        }
        var (host, port) = ParseHostPort("--modbus", rest, LoggerSource.DefaultModbusPort);
        return LoggerSource.Modbus(host, port, unit, inverter);
    }

    private static (string Source, string? InverterSerial) SplitInverterSerial(string name, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return (value, null);
        }
        var serial = value[(equals + 1)..];
        if (serial.Length is < MinInverterSerialLength or > MaxInverterSerialLength || !serial.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"{name}: the inverter serial after = must be {MinInverterSerialLength} to {MaxInverterSerialLength} letters and digits.");
        }
        return (value[..equals], serial);
    }

    /// <summary>HOST, HOST:PORT, [IPv6] or [IPv6]:PORT.</summary>
    private static (string Host, int Port) ParseHostPort(string name, string value, int defaultPort)
    {
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            host = close > 1 ? value[1..close] : "";
            var after = close > 0 ? value[(close + 1)..] : "";
            port = after.StartsWith(':') ? after[1..] : after.Length == 0 ? null : "";
        }
        else
        {
            var colon = value.LastIndexOf(':');
            host = colon >= 0 ? value[..colon] : value;
            port = colon >= 0 ? value[(colon + 1)..] : null;
        }
        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw new ArgumentException($"{name}: '{value}' does not start with a host name or IP address.");
        }
        if (port is null)
        {
            return (host, defaultPort);
        }
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? (host, p)
            : throw new ArgumentException($"{name}: the port in '{value}' must be from 1 to 65535.");
    }

    private static IPEndPoint ParseDiscoveryAddress(string value)
    {
        var (host, port) = ParseHostPort("--discover-address", value, LoggerDiscovery.Port);
        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new ArgumentException("--discover-address must be an IP address (a broadcast address such as 192.168.1.255, or one logger's), with an optional :PORT.");
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
}
