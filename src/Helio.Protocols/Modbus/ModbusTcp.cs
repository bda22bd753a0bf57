using System.Buffers;
using System.Buffers.Binary;

namespace Helio.Protocols.Modbus;

/// <summary>
/// Modbus TCP frames: a 7-byte MBAP header (transaction id, protocol id 0, length of what follows, unit id) and
/// the PDU, without CRC. A stream with a bad header cannot be resynchronised: the reader says so and the
/// connection should be closed.
/// </summary>
public static class ModbusTcp
{
    public const int HeaderLength = 7;

    public const int MaxLength = HeaderLength + ModbusPdu.MaxLength;

    public const int ReadRequestLength = HeaderLength + ModbusPdu.ReadRequestLength;

    public static int WriteReadRequest(Span<byte> destination, ushort transaction, byte unit, ModbusFunction function, ushort start, ushort count) =>
        Frame(destination, transaction, unit, ModbusPdu.WriteReadRequest(destination[HeaderLength..], function, start, count));

    public static int WriteSingleRegisterRequest(Span<byte> destination, ushort transaction, byte unit, ushort address, ushort value) =>
        Frame(destination, transaction, unit, ModbusPdu.WriteSingleRegisterRequest(destination[HeaderLength..], address, value));

    public static int WriteReadReply(Span<byte> destination, ushort transaction, byte unit, ModbusFunction function, ReadOnlySpan<ushort> registers) =>
        Frame(destination, transaction, unit, ModbusPdu.WriteReadReply(destination[HeaderLength..], function, registers));

    public static int WriteExceptionReply(Span<byte> destination, ushort transaction, byte unit, byte function, ModbusException exception) =>
        Frame(destination, transaction, unit, ModbusPdu.WriteExceptionReply(destination[HeaderLength..], function, exception));

    /// <summary>
    /// Reads the first frame of <paramref name="buffer"/>: <see cref="ModbusTcpRead.Frame"/> with the buffer advanced
    /// past it, <see cref="ModbusTcpRead.NeedMoreData"/>, or <see cref="ModbusTcpRead.Malformed"/> (wrong protocol id
    /// or an impossible length).
    /// </summary>
    public static ModbusTcpRead TryRead(ref ReadOnlySequence<byte> buffer, out ModbusTcpFrame frame)
    {
        frame = default;
        if (buffer.Length < HeaderLength)
        {
            return ModbusTcpRead.NeedMoreData;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        // The length counts the unit id and the PDU, which has at least a function code.
        if (protocol != 0 || length < 2 || length > 1 + ModbusPdu.MaxLength)
        {
            return ModbusTcpRead.Malformed;
        }
        var total = HeaderLength - 1 + length;
        if (buffer.Length < total)
        {
            return ModbusTcpRead.NeedMoreData;
        }
        frame = new ModbusTcpFrame(BinaryPrimitives.ReadUInt16BigEndian(header), header[6], buffer.Slice(HeaderLength, total - HeaderLength));
        buffer = buffer.Slice(total);
        return ModbusTcpRead.Frame;
    }

    /// <summary>Frames a PDU built elsewhere (a device's reply): MBAP header in front.</summary>
    public static int Frame(Span<byte> destination, ushort transaction, byte unit, ReadOnlySpan<byte> pdu)
    {
        pdu.CopyTo(destination[HeaderLength..]);
        return Frame(destination, transaction, unit, pdu.Length);
    }

    private static int Frame(Span<byte> destination, ushort transaction, byte unit, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, transaction);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(1 + pduLength));
        destination[6] = unit;
        return HeaderLength + pduLength;
    }
}

public enum ModbusTcpRead
{
    NeedMoreData,
    Frame,
    Malformed,
}

/// <summary>One Modbus TCP frame; <see cref="Pdu"/> is a slice of the buffer it was read from.</summary>
public readonly record struct ModbusTcpFrame(ushort Transaction, byte Unit, ReadOnlySequence<byte> Pdu);
