using System.Buffers.Binary;

namespace Helio.Protocols.Modbus;

/// <summary>
/// The protocol data unit both Modbus framings share: function code and data, big-endian. RTU wraps it in a
/// unit address and a CRC (<see cref="ModbusRtu"/>), TCP in an MBAP header (<see cref="ModbusTcp"/>).
/// </summary>
public static class ModbusPdu
{
    /// <summary>The most registers one read may ask for.</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>The most registers one write-multiple may carry.</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>The largest PDU: function code and 252 bytes of data.</summary>
    public const int MaxLength = 253;

    public const int ReadRequestLength = 5;

    public static int WriteReadRequest(Span<byte> destination, ModbusFunction function, ushort start, ushort count)
    {
        if (function is not (ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "A read is function 03 or 04.");
        }
        if (count is 0 or > MaxReadRegisters)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A read asks for 1 to {MaxReadRegisters} registers.");
        }
        destination[0] = (byte)function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], count);
        return ReadRequestLength;
    }

    public static int WriteSingleRegisterRequest(Span<byte> destination, ushort address, ushort value)
    {
        destination[0] = (byte)ModbusFunction.WriteSingleRegister;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], value);
        return 5;
    }

    public static int WriteMultipleRegistersRequest(Span<byte> destination, ushort start, ReadOnlySpan<ushort> values)
    {
        if (values.Length is 0 or > MaxWriteRegisters)
        {
            throw new ArgumentOutOfRangeException(nameof(values), values.Length, $"A write carries 1 to {MaxWriteRegisters} registers.");
        }
        destination[0] = (byte)ModbusFunction.WriteMultipleRegisters;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], start);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], (ushort)values.Length);
        destination[5] = (byte)(values.Length * 2);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(6 + (2 * i))..], values[i]);
        }
        return 6 + (2 * values.Length);
    }

    /// <summary>A read reply carrying <paramref name="registers"/> (a device's side: the simulator answers with it).</summary>
    public static int WriteReadReply(Span<byte> destination, ModbusFunction function, ReadOnlySpan<ushort> registers)
    {
        destination[0] = (byte)function;
        destination[1] = (byte)(registers.Length * 2);
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 + (2 * i))..], registers[i]);
        }
        return 2 + (2 * registers.Length);
    }

    public static int WriteExceptionReply(Span<byte> destination, byte function, ModbusException exception)
    {
        destination[0] = (byte)(function | 0x80);
        destination[1] = (byte)exception;
        return 2;
    }

    /// <summary>
    /// Parses the reply to a request with <paramref name="function"/>. <paramref name="length"/> is the reply's own
    /// length, read from its content (0 when malformed or incomplete), so the caller can check what follows.
    /// </summary>
    public static ModbusReply ParseReply(ReadOnlySpan<byte> pdu, ModbusFunction function, out int length)
    {
        length = 0;
        if (pdu.Length < 2)
        {
            return ModbusReply.Malformed;
        }
        if (pdu[0] == ((byte)function | 0x80))
        {
            length = 2;
            return ModbusReply.FromException((ModbusException)pdu[1]);
        }
        if (pdu[0] != (byte)function)
        {
            return ModbusReply.Malformed;
        }
        if (function is ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters)
        {
            var byteCount = pdu[1];
            if (byteCount % 2 != 0 || pdu.Length < 2 + byteCount)
            {
                return ModbusReply.Malformed;
            }
            length = 2 + byteCount;
            return ModbusReply.FromRegisters(2, byteCount);
        }
        // Writes echo the address and the value (06) or the count (16).
        if (pdu.Length < 5)
        {
            return ModbusReply.Malformed;
        }
        length = 5;
        return ModbusReply.FromRegisters(1, 4);
    }

    /// <summary>Parses a request (a device's side). Unknown functions come back as such, for an IllegalFunction reply.</summary>
    public static ModbusRequest ParseRequest(ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length < 5)
        {
            return ModbusRequest.Malformed;
        }
        var function = (ModbusFunction)pdu[0];
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        switch (function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                return word is 0 or > MaxReadRegisters ? ModbusRequest.Invalid(function) : new(ModbusRequestKind.Read, function, address, word, 0, 5);
            case ModbusFunction.WriteSingleRegister:
                return new(ModbusRequestKind.WriteSingle, function, address, 1, 3, 5);
            case ModbusFunction.WriteMultipleRegisters:
                if (pdu.Length < 6 || word is 0 or > MaxWriteRegisters || pdu[5] != word * 2 || pdu.Length < 6 + (word * 2))
                {
                    return ModbusRequest.Invalid(function);
                }
                return new(ModbusRequestKind.WriteMultiple, function, address, word, 6, 6 + (word * 2));
            default:
                return new(ModbusRequestKind.UnsupportedFunction, function, 0, 0, 0, pdu.Length);
        }
    }
}

/// <summary>
/// What a Modbus reply said: registers (as the offset and length of their big-endian bytes, relative to the start
/// of what was parsed), an exception, or nothing usable. A value, not a copy: the bytes stay the caller's.
/// </summary>
public readonly record struct ModbusReply(ModbusReplyKind Kind, ModbusException Exception, int DataOffset, int DataLength)
{
    public static ModbusReply Malformed => new(ModbusReplyKind.Malformed, ModbusException.None, 0, 0);

    public static ModbusReply FromException(ModbusException exception) => new(ModbusReplyKind.Exception, exception, 0, 0);

    public static ModbusReply FromRegisters(int offset, int length) => new(ModbusReplyKind.Data, ModbusException.None, offset, length);

    public int RegisterCount => Kind == ModbusReplyKind.Data ? DataLength / 2 : 0;

    /// <summary>Register <paramref name="index"/> of a read reply, from the bytes the reply was parsed from.</summary>
    public ushort Register(ReadOnlySpan<byte> parsed, int index) => BinaryPrimitives.ReadUInt16BigEndian(parsed[(DataOffset + (2 * index))..]);

    /// <summary>The same reply, its offsets moved by the framing in front of the PDU.</summary>
    public ModbusReply Shifted(int by) => Kind == ModbusReplyKind.Data ? this with { DataOffset = DataOffset + by } : this;
}

public enum ModbusReplyKind
{
    Malformed,
    Data,
    Exception,
}

/// <summary>A parsed request: which registers, and for writes where their values sit (relative to the PDU).</summary>
public readonly record struct ModbusRequest(ModbusRequestKind Kind, ModbusFunction Function, ushort Address, ushort Count, int ValuesOffset, int Length)
{
    public static ModbusRequest Malformed => new(ModbusRequestKind.Malformed, 0, 0, 0, 0, 0);

    public static ModbusRequest Invalid(ModbusFunction function) => new(ModbusRequestKind.InvalidValue, function, 0, 0, 0, 0);

    public ushort Value(ReadOnlySpan<byte> pdu, int index) => BinaryPrimitives.ReadUInt16BigEndian(pdu[(ValuesOffset + (2 * index))..]);
}

public enum ModbusRequestKind
{
    Malformed,
    Read,
    WriteSingle,
    WriteMultiple,
    UnsupportedFunction,
    /// <summary>A known function with a count out of range: answered with IllegalDataValue.</summary>
    InvalidValue,
}
