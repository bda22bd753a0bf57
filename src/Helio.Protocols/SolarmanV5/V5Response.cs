using System.Buffers;

namespace Helio.Protocols.SolarmanV5;

/// <summary>The payload of a logger's <see cref="V5ControlCode.Response"/>: acquisition times and the inverter's Modbus RTU frame.</summary>
public static class V5Response
{
    /// <summary>Frame type, status, total working time, power-on time and offset time, ahead of the Modbus frame.</summary>
    public const int PrefixLength = 14;

    /// <summary>
    /// The Modbus RTU frame in a response payload, or false when the logger answered without one (a short payload,
    /// as some loggers do for a bad request). Trailing bytes after the RTU frame (the "double CRC" quirk) are left
    /// to the Modbus parser, which reads the frame's own length.
    /// </summary>
    public static bool TryGetModbusFrame(ReadOnlySequence<byte> payload, out ReadOnlySequence<byte> modbusRtu)
    {
        if (payload.Length <= PrefixLength)
        {
            modbusRtu = default;
            return false;
        }
        modbusRtu = payload.Slice(PrefixLength);
        return true;
    }

    /// <summary>
    /// The Modbus RTU frame as one span: the payload's own memory when it arrived in one piece, otherwise a copy in
    /// <paramref name="scratch"/> (at least <see cref="Modbus.ModbusRtu.MaxLength"/> + 2 bytes, for the double CRC).
    /// </summary>
    public static bool TryGetModbusFrame(ReadOnlySequence<byte> payload, Span<byte> scratch, out ReadOnlySpan<byte> modbusRtu)
    {
        if (!TryGetModbusFrame(payload, out var frame))
        {
            modbusRtu = default;
            return false;
        }
        if (frame.IsSingleSegment)
        {
            modbusRtu = frame.FirstSpan;
            return true;
        }
        var length = (int)Math.Min(frame.Length, scratch.Length);
        frame.Slice(0, length).CopyTo(scratch);
        modbusRtu = scratch[..length];
        return true;
    }
}
