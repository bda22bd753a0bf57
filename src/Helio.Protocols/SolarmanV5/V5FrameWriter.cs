using System.Buffers;
using System.Buffers.Binary;

namespace Helio.Protocols.SolarmanV5;

/// <summary>Writes V5 frames into a caller's buffer; nothing is allocated.</summary>
public static class V5FrameWriter
{
    /// <summary>Payload of a server's time reply: frame type, 0x01, Unix time, time-zone offset (minutes).</summary>
    public const int TimeReplyPayloadLength = 10;

    public const int TimeReplyLength = V5Format.Overhead + TimeReplyPayloadLength;

    /// <summary>Frame type, sensor type, total working time, power-on time and offset time, ahead of the Modbus frame.</summary>
    public const int RequestPrefixLength = 15;

    /// <summary>Frame type 0x02: the request is for the inverter behind the logger.</summary>
    private const byte InverterFrameType = 0x02;

    /// <summary>
    /// The server's answer to a frame the logger pushed (handshake, data, info, heartbeat, report): the reply code,
    /// the logger's sequence byte A plus one, byte B and serial echoed, and the server's clock.
    /// </summary>
    public static int WriteTimeReply(Span<byte> destination, in V5Frame pushed, uint unixTime, uint offsetMinutes = 0)
    {
        var payload = destination.Slice(V5Format.HeaderLength, TimeReplyPayloadLength);
        // The frame type of the pushed payload is echoed; a pushed frame without payload gets 0.
        payload[0] = 0;
        pushed.Payload.Slice(0, Math.Min(1, pushed.Payload.Length)).CopyTo(payload);
        payload[1] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(payload[2..], unixTime);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[6..], offsetMinutes);
        return Frame(destination, V5ControlCodes.ReplyTo(pushed.Code), unchecked((byte)(pushed.SequenceA + 1)), pushed.SequenceB, pushed.LoggerSerial, TimeReplyPayloadLength);
    }

    /// <summary>A request carrying a Modbus RTU frame (CRC included) for the inverter behind the logger.</summary>
    public static int WriteRequest(Span<byte> destination, byte sequenceA, byte sequenceB, uint loggerSerial, ReadOnlySpan<byte> modbusRtu)
    {
        var payloadLength = RequestPrefixLength + modbusRtu.Length;
        var payload = destination.Slice(V5Format.HeaderLength, payloadLength);
        payload[..RequestPrefixLength].Clear();
        payload[0] = InverterFrameType;
        modbusRtu.CopyTo(payload[RequestPrefixLength..]);
        return Frame(destination, V5ControlCode.Request, sequenceA, sequenceB, loggerSerial, payloadLength);
    }

    /// <summary>Any frame, with a payload given as bytes (the simulator and tests write loggers' frames with it).</summary>
    public static int Write(Span<byte> destination, V5ControlCode code, byte sequenceA, byte sequenceB, uint loggerSerial, ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(destination[V5Format.HeaderLength..]);
        return Frame(destination, code, sequenceA, sequenceB, loggerSerial, payload.Length);
    }

    /// <summary>Fills in header and trailer around a payload already in place after the header.</summary>
    private static int Frame(Span<byte> destination, V5ControlCode code, byte sequenceA, byte sequenceB, uint loggerSerial, int payloadLength)
    {
        if (payloadLength > V5Format.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, $"A V5 payload holds at most {V5Format.MaxPayloadLength} bytes.");
        }
        var length = V5Format.Overhead + payloadLength;
        destination[0] = V5Format.Start;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], (ushort)payloadLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[3..], (ushort)code);
        destination[5] = sequenceA;
        destination[6] = sequenceB;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[7..], loggerSerial);
        destination[length - 2] = V5Format.Checksum(destination[1..(length - 2)]);
        destination[length - 1] = V5Format.End;
        return length;
    }
}
