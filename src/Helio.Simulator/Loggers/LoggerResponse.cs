using System.Buffers;
using System.Buffers.Binary;
using Helio.Protocols.Modbus;
using Helio.Protocols.SolarmanV5;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Loggers;

/// <summary>
/// What a logger puts in its 0x1510 response to a 0x4510 request, in push mode and in client mode alike: frame type
/// and status, the acquisition time, then the inverter's Modbus RTU reply (PROTOCOLS.md, "Response payload").
/// </summary>
internal static class LoggerResponse
{
    /// <summary>
    /// The response payload to a request's payload, the inverter moved to <paramref name="now"/> first; null when the
    /// request carries no Modbus frame (the logger stays silent). A Modbus frame the inverter does not answer (another
    /// unit, a bad CRC) gets a payload without one, as real loggers answer after their bus timeout.
    /// </summary>
    public static byte[]? Payload(SimulatedInverter inverter, ReadOnlySequence<byte> request, DateTimeOffset now, LoggerQuirks quirks)
    {
        if (request.Length <= V5FrameWriter.RequestPrefixLength || request.Length > V5FrameWriter.RequestPrefixLength + ModbusRtu.MaxLength)
        {
            return null;
        }
        Span<byte> rtu = stackalloc byte[ModbusRtu.MaxLength];
        var rtuLength = (int)request.Length - V5FrameWriter.RequestPrefixLength;
        request.Slice(V5FrameWriter.RequestPrefixLength).CopyTo(rtu);
        inverter.Advance(now);
        Span<byte> reply = stackalloc byte[ModbusRtu.MaxLength + 2];
        var replyLength = ModbusResponder.AnswerRtu(inverter.Bank, 1, rtu[..rtuLength], reply);
        if (quirks.HasFlag(LoggerQuirks.DoubleCrc) && replyLength > 0)
        {
            reply.Slice(replyLength, 2).Clear(); // the two zero bytes some loggers append
            replyLength += 2;
        }
        var payload = new byte[V5Response.PrefixLength + replyLength];
        payload[0] = 0x02; // frame type: inverter
        payload[1] = 0x01; // status: real-time data
        // Total working time carries the acquisition time; power-on and offset time stay 0.
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(2), (uint)now.ToUnixTimeSeconds());
        reply[..replyLength].CopyTo(payload.AsSpan(V5Response.PrefixLength));
        return payload;
    }

    /// <summary>The payload of a logger's heartbeat: one zero byte (clients such as pysolarmanv5 recognise it by that length).</summary>
    public static byte[] Heartbeat() => [0x00];
}
