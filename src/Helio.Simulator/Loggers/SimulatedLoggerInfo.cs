namespace Helio.Simulator.Loggers;

/// <summary>One logger of <see cref="LanLoggers"/>: its serial, its inverter's serial, and the inverter's unit id on the Modbus TCP port (null without one).</summary>
public sealed record SimulatedLoggerInfo(uint LoggerSerial, string InverterSerial, byte? ModbusUnit);
