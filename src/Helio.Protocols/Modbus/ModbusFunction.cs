namespace Helio.Protocols.Modbus;

public enum ModbusFunction : byte
{
    ReadHoldingRegisters = 0x03,
    ReadInputRegisters = 0x04,
    WriteSingleRegister = 0x06,
    WriteMultipleRegisters = 0x10,
}

/// <summary>The code of a Modbus exception reply (function with bit 7 set).</summary>
public enum ModbusException : byte
{
    None = 0,
    IllegalFunction = 1,
    IllegalDataAddress = 2,
    IllegalDataValue = 3,
    SlaveDeviceFailure = 4,
    Acknowledge = 5,
    SlaveDeviceBusy = 6,
    /// <summary>A Modbus TCP gateway has no path to the unit id asked for.</summary>
    GatewayPathUnavailable = 0x0A,
    /// <summary>A Modbus TCP gateway got no answer from the unit id asked for.</summary>
    GatewayTargetFailedToRespond = 0x0B,
}
