using System.Globalization;

namespace Helio.Collector.Sources;

public enum SourceKind
{
    /// <summary>A Solarman logger in client mode: Modbus RTU wrapped in V5 frames (PROTOCOLS.md, way 2).</summary>
    V5,
    /// <summary>A logger or RS485 gateway speaking plain Modbus TCP (PROTOCOLS.md, way 3).</summary>
    ModbusTcp,
}

/// <summary>
/// Where one inverter is read: a V5 logger (its serial goes into every frame) or a Modbus TCP device (with the
/// unit id the inverter answers on). <see cref="InverterSerial"/> names the inverter when its model has no
/// serial-number registers (KTL-X) or they cannot be read; otherwise it is read from the inverter.
/// </summary>
public sealed record LoggerSource(SourceKind Kind, string Host, int Port, uint LoggerSerial, byte Unit, string? InverterSerial = null)
{
    public const int DefaultV5Port = 8899;
    public const int DefaultModbusPort = 502;
    public const byte DefaultUnit = 1;

    public static LoggerSource V5(string host, int port, uint loggerSerial, byte unit = DefaultUnit, string? inverterSerial = null) =>
        new(SourceKind.V5, host, port, loggerSerial, unit, inverterSerial);

    public static LoggerSource Modbus(string host, int port, byte unit, string? inverterSerial = null) =>
        new(SourceKind.ModbusTcp, host, port, 0, unit, inverterSerial);

    /// <summary>How the source appears in the collector's own output: what the user typed (or discovery found).</summary>
    public override string ToString() => Kind == SourceKind.V5
        ? string.Create(CultureInfo.InvariantCulture, $"logger {LoggerSerial:D10} ({Endpoint})")
        : string.Create(CultureInfo.InvariantCulture, $"modbus {Endpoint}/{Unit}");

    private string Endpoint => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
