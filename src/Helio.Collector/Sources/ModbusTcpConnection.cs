using System.Buffers;
using System.Net.Sockets;
using Helio.Protocols.Modbus;

namespace Helio.Collector.Sources;

/// <summary>
/// A logger or RS485 gateway speaking Modbus TCP (PROTOCOLS.md, way 3): MBAP-framed requests, answers matched by
/// transaction id. A stream with a bad MBAP header cannot be resynchronised, so it ends the connection.
/// </summary>
internal sealed class ModbusTcpConnection(TcpClient client, LoggerSource source, TimeSpan timeout, TimeProvider time)
    : RegisterConnection(client, source, timeout, time)
{
    private ushort transaction;

    protected override byte[] WriteRequest(ModbusFunction function, ushort start, ushort count)
    {
        var frame = new byte[ModbusTcp.ReadRequestLength];
        ModbusTcp.WriteReadRequest(frame, ++transaction, Source.Unit, function, start, count);
        return frame;
    }

    protected override BlockRead? TryReadAnswer(ref ReadOnlySequence<byte> buffer, ModbusFunction function, ushort count, ref long skipped)
    {
        Span<byte> pdu = stackalloc byte[ModbusPdu.MaxLength];
        while (true)
        {
            switch (ModbusTcp.TryRead(ref buffer, out var frame))
            {
                case ModbusTcpRead.NeedMoreData:
                    return null;
                case ModbusTcpRead.Malformed:
                    throw new IOException("the device sent something that is not Modbus TCP");
            }
            if (frame.Transaction != transaction)
            {
                continue;
            }
            var length = (int)frame.Pdu.Length;
            frame.Pdu.CopyTo(pdu);
            return Registers(ModbusPdu.ParseReply(pdu[..length], function, out _), pdu[..length], count);
        }
    }
}
