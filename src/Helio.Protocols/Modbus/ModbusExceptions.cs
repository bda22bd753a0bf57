namespace Helio.Protocols.Modbus;

/// <summary>What a Modbus exception code means, in words a person reading a failed operation understands.</summary>
public static class ModbusExceptions
{
    public static string Describe(ModbusException exception) => exception switch
    {
        ModbusException.IllegalFunction => "illegal function: the device does not support this request",
        ModbusException.IllegalDataAddress => "illegal data address: the device has no such writable register",
        ModbusException.IllegalDataValue => "illegal data value: the device refused the value",
        ModbusException.SlaveDeviceFailure => "device failure: the device could not carry out the request",
        ModbusException.Acknowledge => "acknowledge: the device accepted the request but has not finished it",
        ModbusException.SlaveDeviceBusy => "device busy: the device is busy and did not carry out the request",
        ModbusException.GatewayPathUnavailable => "gateway path unavailable: the gateway has no path to the device",
        ModbusException.GatewayTargetFailedToRespond => "gateway target failed to respond: the device behind the gateway did not answer",
        _ => "an exception code Modbus does not define",
    };
}
