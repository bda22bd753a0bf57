using System.Net;
using System.Net.Sockets;
using Helio.Simulator.Faults;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Loggers;

/// <summary>
/// Simulated Solarman loggers on a LAN, each with a SOFAR G3 inverter (the plants of <see cref="Fleet"/>): V5 client
/// mode on one TCP port shared by all loggers (a request is answered by the logger whose serial it carries), plain
/// Modbus TCP with the inverters as unit ids 1 to N, and the UDP discovery answer. For LAN collectors' tests and the
/// <c>serve</c> command. Disposing stops every listener and closes every connection.
/// </summary>
public sealed class LanLoggers : IAsyncDisposable
{
    private readonly Dictionary<uint, LanLogger> bySerial;
    private readonly Outage outage = new();
    private readonly FrameGarbler? garbage;
    private readonly List<IAsyncDisposable> services = [];

    private LanLoggers(LanLoggersOptions options)
    {
        var clock = CompressedTime.For(options.Start, options.Speed);
        var loggers = Enumerable.Range(0, options.Count).Select(i =>
        {
            var (serial, inverter) = Fleet.Create(options.Seed, options.FirstSerial, i);
            return new LanLogger(serial, inverter, options.ModbusPort is null ? null : (byte)(i + 1), clock);
        }).ToList();
        bySerial = loggers.ToDictionary(l => l.Serial);
        Loggers = [.. loggers.Select(l => l.Info)];
        garbage = options.GarbageRate > 0 ? new FrameGarbler(options.GarbageRate, options.Seed) : null;
    }

    /// <summary>Where V5 client mode listens.</summary>
    public IPEndPoint V5EndPoint { get; private set; } = null!;

    /// <summary>Where Modbus TCP listens; null when off.</summary>
    public IPEndPoint? ModbusEndPoint { get; private set; }

    /// <summary>Where discovery is answered; null when off.</summary>
    public IPEndPoint? DiscoveryEndPoint { get; private set; }

    public IReadOnlyList<SimulatedLoggerInfo> Loggers { get; }

    /// <summary>Frames replaced by garbage so far (<see cref="LanLoggersOptions.GarbageRate"/>).</summary>
    public long GarbledFrames => garbage?.Garbled ?? 0;

    public bool IsOffline => outage.IsOffline;

    /// <summary>The inverter behind a logger, for fault injection (<see cref="SimulatedInverter.RaiseFault"/>).</summary>
    public SimulatedInverter InverterOf(uint loggerSerial) =>
        bySerial.TryGetValue(loggerSerial, out var logger) ? logger.Inverter : throw new KeyNotFoundException($"No simulated logger has serial {loggerSerial}.");

    /// <summary>
    /// Takes every logger offline now for <paramref name="duration"/>: open connections are dropped, new ones closed
    /// at once and discovery goes unanswered until it ends.
    /// </summary>
    public void GoOffline(TimeSpan duration) => outage.Begin(duration);

    /// <summary>
    /// Starts listening. Bad options are an <see cref="ArgumentException"/> naming the option; a port that cannot be
    /// had, an <see cref="IOException"/> naming the service. <paramref name="cancellationToken"/> cancels the start
    /// only: the loggers run until disposed.
    /// </summary>
    public static async Task<LanLoggers> StartAsync(LanLoggersOptions options, CancellationToken cancellationToken)
    {
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();
        var lan = new LanLoggers(options);
        try
        {
            var v5 = new V5ClientMode(lan.bySerial, options.Quirks, lan.garbage);
            lan.V5EndPoint = lan.Listen("V5 client mode", options, options.V5Port, v5.ServeAsync);
            if (options.ModbusPort is { } modbusPort)
            {
                var modbus = new ModbusTcpMode(lan.bySerial.Values.ToDictionary(l => l.Info.ModbusUnit!.Value), lan.garbage);
                lan.ModbusEndPoint = lan.Listen("Modbus TCP", options, modbusPort, modbus.ServeAsync);
            }
            if (options.DiscoveryPort is { } discoveryPort)
            {
                var discovery = DiscoveryResponder.Start(new IPEndPoint(options.BindAddress, discoveryPort), [.. lan.Loggers.Select(l => l.LoggerSerial)], lan.outage);
                lan.services.Add(discovery);
                lan.DiscoveryEndPoint = discovery.EndPoint;
            }
        }
        catch
        {
            // Whatever was bound is released before the error goes up.
            await lan.DisposeAsync();
            throw;
        }
        return lan;
    }

    private IPEndPoint Listen(string what, LanLoggersOptions options, int port, Func<NetworkStream, CancellationToken, Task> serve)
    {
        var service = TcpService.Start(what, new IPEndPoint(options.BindAddress, port), options.MaxConnections, outage, serve);
        services.Add(service);
        return service.EndPoint;
    }

    private static void Validate(LanLoggersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Port(options.V5Port, nameof(options.V5Port));
        Port(options.ModbusPort, nameof(options.ModbusPort));
        Port(options.DiscoveryPort, nameof(options.DiscoveryPort));
        if (options.Count is < 1 or > Fleet.MaxCount)
        {
            throw new ArgumentException($"{nameof(options.Count)} must be from 1 to {Fleet.MaxCount}.", nameof(options));
        }
        if (options.ModbusPort is not null && options.Count > SimulatorArguments.MaxModbusUnits)
        {
            throw new ArgumentException($"{nameof(options.Count)} must be at most {SimulatorArguments.MaxModbusUnits} with a {nameof(options.ModbusPort)}: Modbus unit ids are 1 to {SimulatorArguments.MaxModbusUnits}.", nameof(options));
        }
        if (!Fleet.SerialsFit(options.FirstSerial, options.Count))
        {
            throw new ArgumentException($"{nameof(options.FirstSerial)} must have 10 digits, and so must the last serial ({nameof(options.Count)} later).", nameof(options));
        }
        if (options.Speed is < 1 or > 100_000 || double.IsNaN(options.Speed))
        {
            throw new ArgumentException($"{nameof(options.Speed)} must be from 1 to 100000.", nameof(options));
        }
        if (!(options.GarbageRate is >= 0 and <= 1))
        {
            throw new ArgumentException($"{nameof(options.GarbageRate)} must be a fraction from 0 to 1.", nameof(options));
        }
        if (options.MaxConnections < 1)
        {
            throw new ArgumentException($"{nameof(options.MaxConnections)} must be at least 1.", nameof(options));
        }
    }

    private static void Port(int? port, string name)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"{name} must be from 0 (any free port) to 65535.", name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in services)
        {
            await service.DisposeAsync();
        }
        services.Clear();
    }
}
