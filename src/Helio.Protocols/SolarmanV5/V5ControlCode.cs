namespace Helio.Protocols.SolarmanV5;

/// <summary>
/// Control codes of Solarman V5 frames, as the little-endian 16-bit value (on the wire: 0x10, then the type).
/// A reply's code is its request's code minus 0x3000.
/// </summary>
public enum V5ControlCode : ushort
{
    HandshakeReply = 0x1110,
    DataReply = 0x1210,
    InfoReply = 0x1310,
    /// <summary>The logger's answer to a <see cref="Request"/>: the inverter's Modbus RTU response.</summary>
    Response = 0x1510,
    HeartbeatReply = 0x1710,
    ReportReply = 0x1810,

    /// <summary>Sent by the logger when it connects: firmware, MAC, IP, upload and heartbeat intervals.</summary>
    Handshake = 0x4110,
    /// <summary>Sent by the logger: a block of inverter values in a model-specific layout.</summary>
    Data = 0x4210,
    /// <summary>Sent by the logger: firmware, IP, SSID.</summary>
    Info = 0x4310,
    /// <summary>Sent to the logger: a Modbus RTU request for the inverter behind it.</summary>
    Request = 0x4510,
    /// <summary>Sent by the logger every 120 s or so.</summary>
    Heartbeat = 0x4710,
    /// <summary>Sent by the logger at the end of a handshake cycle ("hello end").</summary>
    Report = 0x4810,
}

public static class V5ControlCodes
{
    private const ushort ReplyOffset = 0x3000;

    public static V5ControlCode ReplyTo(V5ControlCode request) => (V5ControlCode)((ushort)request - ReplyOffset);

    /// <summary>The codes of PROTOCOLS.md and their replies; anything else is not a V5 frame.</summary>
    public static bool IsKnown(V5ControlCode code) => code is
        V5ControlCode.Handshake or V5ControlCode.Data or V5ControlCode.Info or V5ControlCode.Request or V5ControlCode.Heartbeat or V5ControlCode.Report
        or V5ControlCode.HandshakeReply or V5ControlCode.DataReply or V5ControlCode.InfoReply or V5ControlCode.Response or V5ControlCode.HeartbeatReply or V5ControlCode.ReportReply;

    /// <summary>Frames a logger sends on its own, which the server answers with a time reply.</summary>
    public static bool IsLoggerPush(V5ControlCode code) =>
        code is V5ControlCode.Handshake or V5ControlCode.Data or V5ControlCode.Info or V5ControlCode.Heartbeat or V5ControlCode.Report;
}
