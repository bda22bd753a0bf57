using System.Buffers.Binary;

namespace Helio.Protocols.Modbus;

/// <summary>Modbus RTU frames: unit address, PDU, CRC-16/MODBUS low byte first (PROTOCOLS.md, "Modbus").</summary>
public static class ModbusRtu
{
    public const int ReadRequestLength = 1 + ModbusPdu.ReadRequestLength + 2;

    public const int MaxLength = 1 + ModbusPdu.MaxLength + 2;

    public static int WriteReadRequest(Span<byte> destination, byte unit, ModbusFunction function, ushort start, ushort count) =>
        Frame(destination, unit, ModbusPdu.WriteReadRequest(destination[1..], function, start, count));

    public static int WriteSingleRegisterRequest(Span<byte> destination, byte unit, ushort address, ushort value) =>
        Frame(destination, unit, ModbusPdu.WriteSingleRegisterRequest(destination[1..], address, value));

    public static int WriteMultipleRegistersRequest(Span<byte> destination, byte unit, ushort start, ReadOnlySpan<ushort> values) =>
        Frame(destination, unit, ModbusPdu.WriteMultipleRegistersRequest(destination[1..], start, values));

    public static int WriteReadReply(Span<byte> destination, byte unit, ModbusFunction function, ReadOnlySpan<ushort> registers) =>
        Frame(destination, unit, ModbusPdu.WriteReadReply(destination[1..], function, registers));

    public static int WriteExceptionReply(Span<byte> destination, byte unit, byte function, ModbusException exception) =>
        Frame(destination, unit, ModbusPdu.WriteExceptionReply(destination[1..], function, exception));

    /// <summary>
    /// Parses the reply to a request with <paramref name="function"/> from <paramref name="unit"/>. The frame's length
    /// comes from its own content, so bytes after the CRC (the loggers' "double CRC") are ignored.
    /// </summary>
    public static ModbusReply ParseReply(ReadOnlySpan<byte> frame, byte unit, ModbusFunction function)
    {
        if (frame.Length < 1 || frame[0] != unit)
        {
            return ModbusReply.Malformed;
        }
        var reply = ModbusPdu.ParseReply(frame[1..], function, out var pduLength);
        return reply.Kind != ModbusReplyKind.Malformed && HasValidCrc(frame, 1 + pduLength) ? reply.Shifted(1) : ModbusReply.Malformed;
    }

    /// <summary>A request's PDU (without address and CRC) when the CRC holds; <paramref name="unit"/> is the address it is for.</summary>
    public static bool TryGetRequestPdu(ReadOnlySpan<byte> frame, out byte unit, out ReadOnlySpan<byte> pdu)
    {
        unit = frame.Length > 0 ? frame[0] : (byte)0;
        pdu = default;
        if (frame.Length < 4 || !HasValidCrc(frame, frame.Length - 2))
        {
            return false;
        }
        pdu = frame[1..^2];
        return true;
    }

    /// <summary>Frames a PDU built elsewhere: unit address in front, CRC behind.</summary>
    public static int Frame(Span<byte> destination, byte unit, ReadOnlySpan<byte> pdu)
    {
        pdu.CopyTo(destination[1..]);
        return Frame(destination, unit, pdu.Length);
    }

    private static int Frame(Span<byte> destination, byte unit, int pduLength)
    {
        destination[0] = unit;
        var length = 1 + pduLength;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[length..], ModbusCrc.Compute(destination[..length]));
        return length + 2;
    }

    private static bool HasValidCrc(ReadOnlySpan<byte> frame, int length) =>
        frame.Length >= length + 2 && BinaryPrimitives.ReadUInt16LittleEndian(frame[length..]) == ModbusCrc.Compute(frame[..length]);
}
