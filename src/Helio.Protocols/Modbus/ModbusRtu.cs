using System.Buffers.Binary;

namespace Helio.Protocols.Modbus;

/// <summary>Modbus RTU frames: unit address, function, data, CRC (PROTOCOLS.md, "Modbus"). Big-endian data.</summary>
public static class ModbusRtu
{
    /// <summary>The most registers one read may ask for.</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>The most registers one write-multiple may carry.</summary>
    public const int MaxWriteRegisters = 123;

    public const int ReadRequestLength = 8;

    public const int WriteSingleRequestLength = 8;

    public static int WriteReadRequest(Span<byte> destination, byte unit, ModbusFunction function, ushort start, ushort count)
    {
        if (function is not (ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "A read is function 03 or 04.");
        }
        if (count is 0 or > MaxReadRegisters)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A read asks for 1 to {MaxReadRegisters} registers.");
        }
        destination[0] = unit;
        destination[1] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], start);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], count);
        return AppendCrc(destination, 6);
    }

    public static int WriteSingleRegisterRequest(Span<byte> destination, byte unit, ushort address, ushort value)
    {
        destination[0] = unit;
        destination[1] = (byte)ModbusFunction.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], value);
        return AppendCrc(destination, 6);
    }

    public static int WriteMultipleRegistersRequest(Span<byte> destination, byte unit, ushort start, ReadOnlySpan<ushort> values)
    {
        if (values.Length is 0 or > MaxWriteRegisters)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"A write carries 1 to {MaxWriteRegisters} registers.");
        }
        destination[0] = unit;
        destination[1] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], start);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)values.Length);
        destination[6] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(7 + (2 * i))..], values[i]);
        }
        return AppendCrc(destination, 7 + (2 * values.Length));
    }

    /// <summary>
    /// Parses the reply to a request with <paramref name="function"/> from <paramref name="unit"/>. The frame's length
    /// comes from its own content, so bytes after the CRC (the loggers' "double CRC") are ignored.
    /// </summary>
    public static ModbusReply ParseReply(ReadOnlySpan<byte> frame, byte unit, ModbusFunction function)
    {
        if (frame.Length < 5 || frame[0] != unit)
        {
            return ModbusReply.Malformed;
        }
        if (frame[1] == ((byte)function | 0x80))
        {
            return HasValidCrc(frame, 3) ? ModbusReply.FromException((ModbusException)frame[2]) : ModbusReply.Malformed;
        }
        if (frame[1] != (byte)function)
        {
            return ModbusReply.Malformed;
        }
        switch (function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                var byteCount = frame[2];
                if (byteCount % 2 != 0 || !HasValidCrc(frame, 3 + byteCount))
                {
                    return ModbusReply.Malformed;
                }
                return ModbusReply.FromRegisters(3, byteCount);
            default:
                // Writes echo address and value (06) or address and count (10).
                return HasValidCrc(frame, 6) ? ModbusReply.FromRegisters(2, 4) : ModbusReply.Malformed;
        }
    }

    private static int AppendCrc(Span<byte> destination, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination[length..], ModbusCrc.Compute(destination[..length]));
        return length + 2;
    }

    private static bool HasValidCrc(ReadOnlySpan<byte> frame, int length) =>
        frame.Length >= length + 2 && BinaryPrimitives.ReadUInt16LittleEndian(frame[length..]) == ModbusCrc.Compute(frame[..length]);
}

/// <summary>
/// What a Modbus reply said: registers (as the offset and length of their big-endian bytes in the frame), an
/// exception, or nothing usable. A value, not a copy of the data: the frame stays the caller's.
/// </summary>
public readonly record struct ModbusReply(ModbusReplyKind Kind, ModbusException Exception, int DataOffset, int DataLength)
{
    public static ModbusReply Malformed => new(ModbusReplyKind.Malformed, ModbusException.None, 0, 0);

    public static ModbusReply FromException(ModbusException exception) => new(ModbusReplyKind.Exception, exception, 0, 0);

    public static ModbusReply FromRegisters(int offset, int length) => new(ModbusReplyKind.Data, ModbusException.None, offset, length);

    /// <summary>Register <paramref name="index"/> of a read reply's data.</summary>
    public ushort Register(ReadOnlySpan<byte> frame, int index) => BinaryPrimitives.ReadUInt16BigEndian(frame[(DataOffset + (2 * index))..]);

    public int RegisterCount => Kind == ModbusReplyKind.Data ? DataLength / 2 : 0;
}

public enum ModbusReplyKind
{
    Malformed,
    Data,
    Exception,
}
