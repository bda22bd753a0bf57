using Helio.Protocols.Modbus;

namespace Helio.Simulator.Inverters;

/// <summary>Answers Modbus requests from a <see cref="RegisterBank"/>, as the inverter on the RS485 bus would.</summary>
public static class ModbusResponder
{
    /// <summary>Answers one PDU; returns the reply PDU's length in <paramref name="reply"/>, or 0 to stay silent.</summary>
    public static int Answer(RegisterBank bank, ReadOnlySpan<byte> pdu, Span<byte> reply)
    {
        var request = ModbusPdu.ParseRequest(pdu);
        Span<ushort> values = stackalloc ushort[ModbusPdu.MaxReadRegisters];
        switch (request.Kind)
        {
            case ModbusRequestKind.Read:
                var read = bank.Read(request.Address, request.Count, values);
                return read == ModbusException.None
                    ? ModbusPdu.WriteReadReply(reply, request.Function, values[..request.Count])
                    : ModbusPdu.WriteExceptionReply(reply, (byte)request.Function, read);
            case ModbusRequestKind.WriteSingle or ModbusRequestKind.WriteMultiple:
                for (var i = 0; i < request.Count; i++)
                {
                    values[i] = request.Value(pdu, i);
                }
                var written = bank.Write(request.Address, values[..request.Count]);
                if (written != ModbusException.None)
                {
                    return ModbusPdu.WriteExceptionReply(reply, (byte)request.Function, written);
                }
                // The echo: function, address, then the value (06) or the count (16).
                pdu[..5].CopyTo(reply);
                return 5;
            case ModbusRequestKind.UnsupportedFunction:
                return ModbusPdu.WriteExceptionReply(reply, pdu[0], ModbusException.IllegalFunction);
            case ModbusRequestKind.InvalidValue:
                return ModbusPdu.WriteExceptionReply(reply, (byte)request.Function, ModbusException.IllegalDataValue);
            default:
                return 0;
        }
    }

    /// <summary>Answers an RTU frame for <paramref name="unit"/>; 0 when the frame is not for it or its CRC is wrong.</summary>
    public static int AnswerRtu(RegisterBank bank, byte unit, ReadOnlySpan<byte> frame, Span<byte> reply)
    {
        if (!ModbusRtu.TryGetRequestPdu(frame, out var address, out var pdu) || address != unit)
        {
            return 0;
        }
        Span<byte> replyPdu = stackalloc byte[ModbusPdu.MaxLength];
        var length = Answer(bank, pdu, replyPdu);
        return length == 0 ? 0 : ModbusRtu.Frame(reply, unit, replyPdu[..length]);
    }
}
