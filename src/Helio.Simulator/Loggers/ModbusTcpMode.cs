using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Helio.Protocols.Modbus;
using Helio.Simulator.Faults;

namespace Helio.Simulator.Loggers;

/// <summary>
/// Plain Modbus TCP, as an RS485-to-Ethernet gateway (or an LSE-3 stick) in front of the inverters: unit id N is the
/// Nth inverter; functions 03, 04, 06 and 16 with the inverters' own exception replies. A unit id nobody has gets
/// exception 0x0B, as Modbus gateways answer when no device responds. A bad MBAP header cannot be resynchronised on:
/// the connection is closed.
/// </summary>
internal sealed class ModbusTcpMode(IReadOnlyDictionary<byte, LanLogger> units, FrameGarbler? garbage)
{
    public async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var input = PipeReader.Create(stream);
        var pdu = new byte[ModbusPdu.MaxLength];
        var reply = new byte[ModbusPdu.MaxLength];
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                ModbusTcpRead read;
                while ((read = ModbusTcp.TryRead(ref buffer, out var frame)) == ModbusTcpRead.Frame)
                {
                    var length = (int)frame.Pdu.Length;
                    frame.Pdu.CopyTo(pdu);
                    var replyLength = units.TryGetValue(frame.Unit, out var logger)
                        ? logger.AnswerModbus(pdu.AsSpan(0, length), reply)
                        : ModbusPdu.WriteExceptionReply(reply, pdu[0], ModbusException.GatewayTargetFailedToRespond);
                    if (replyLength > 0)
                    {
                        var framed = new byte[ModbusTcp.HeaderLength + replyLength];
                        ModbusTcp.Frame(framed, frame.Transaction, frame.Unit, reply.AsSpan(0, replyLength));
                        await stream.WriteAsync(garbage?.Apply(framed, checksum: null) ?? framed, cancellationToken);
                    }
                }
                if (read == ModbusTcpRead.Malformed)
                {
                    return;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await input.CompleteAsync();
        }
    }
}
