using System.Buffers;
using Helio.Protocols.Modbus;
using Helio.Protocols.SolarmanV5;

namespace Helio.Protocols.Tests;

public sealed class V5FrameTests
{
    private const uint Logger = 2_712_345_678;

    [Fact]
    public void Request_WrapsTheModbusFrame_WithLengthChecksumAndSerial()
    {
        var rtu = new byte[ModbusRtu.ReadRequestLength];
        ModbusRtu.WriteReadRequest(rtu, 1, ModbusFunction.ReadHoldingRegisters, 0x0404, 2);
        var frame = new byte[V5Format.MaxFrameLength];

        var length = V5FrameWriter.WriteRequest(frame, 7, 0, Logger, rtu);

        Assert.Equal(V5Format.Overhead + V5FrameWriter.RequestPrefixLength + rtu.Length, length);
        Assert.Equal([0xA5, (byte)(length - 13), 0x00, 0x10, 0x45, 7, 0], frame[..7]);
        Assert.Equal(Logger, BitConverter.ToUInt32(frame, 7));
        Assert.Equal(0x02, frame[11]);
        Assert.Equal(rtu, frame[(11 + 15)..(length - 2)]);
        Assert.Equal(V5Format.Checksum(frame.AsSpan(1, length - 3)), frame[length - 2]);
        Assert.Equal(0x15, frame[length - 1]);
    }

    [Fact]
    public void TimeReply_AnswersAPushedFrame()
    {
        var heartbeat = Frame(V5ControlCode.Heartbeat, sequenceA: 0xFF, sequenceB: 0x42, payload: [0x00]);
        var buffer = new ReadOnlySequence<byte>(heartbeat);
        Assert.True(V5FrameReader.TryRead(ref buffer, out var pushed, out _));
        var reply = new byte[V5FrameWriter.TimeReplyLength];

        V5FrameWriter.WriteTimeReply(reply, pushed, unixTime: 1_796_000_000, offsetMinutes: 120);

        var replyBuffer = new ReadOnlySequence<byte>(reply);
        Assert.True(V5FrameReader.TryRead(ref replyBuffer, out var read, out _));
        Assert.Equal(V5ControlCode.HeartbeatReply, read.Code);
        Assert.Equal(0x00, read.SequenceA); // the logger's byte A plus one, wrapping
        Assert.Equal(0x42, read.SequenceB);
        Assert.Equal(Logger, read.LoggerSerial);
        var payload = read.Payload.ToArray();
        Assert.Equal(10, payload.Length);
        Assert.Equal(0x01, payload[1]);
        Assert.Equal(1_796_000_000u, BitConverter.ToUInt32(payload, 2));
        Assert.Equal(120u, BitConverter.ToUInt32(payload, 6));
    }

    [Fact]
    public void Reader_AssemblesFramesArrivingInPieces_AndLeavesWhatFollows()
    {
        var first = Frame(V5ControlCode.Handshake, 1, 1, [1, 2, 3, 4, 5]);
        var second = Frame(V5ControlCode.Heartbeat, 2, 2, [0]);
        var stream = first.Concat(second).Concat(new byte[] { 0xA5, 0x01 }).ToArray();

        foreach (var size in new[] { 1, 3, 7, stream.Length })
        {
            var buffer = Chunks.Split(stream, size);
            Assert.True(V5FrameReader.TryRead(ref buffer, out var a, out var skippedA));
            Assert.Equal(V5ControlCode.Handshake, a.Code);
            Assert.Equal([1, 2, 3, 4, 5], a.Payload.ToArray());
            Assert.True(V5FrameReader.TryRead(ref buffer, out var b, out _));
            Assert.Equal(V5ControlCode.Heartbeat, b.Code);
            Assert.False(V5FrameReader.TryRead(ref buffer, out _, out var skippedRest));
            Assert.Equal(0, skippedA + skippedRest);
            Assert.Equal(2, buffer.Length); // an incomplete header waits for more
        }
    }

    [Fact]
    public void Reader_NeedsMore_UntilTheDeclaredLength_ButNotBeyond()
    {
        var frame = Frame(V5ControlCode.Data, 1, 1, new byte[100]);
        for (var cut = 0; cut < frame.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(frame, 0, cut);
            Assert.False(V5FrameReader.TryRead(ref partial, out _, out var skipped));
            Assert.Equal(0, skipped);
            Assert.Equal(cut, partial.Length);
        }
    }

    [Fact]
    public void Reader_SkipsGarbage_BadChecksums_AndForgedLengths_ThenFindsTheFrame()
    {
        var good = Frame(V5ControlCode.Heartbeat, 9, 9, [0]);
        var badChecksum = Frame(V5ControlCode.Heartbeat, 8, 8, [0]);
        badChecksum[^2] ^= 0xFF;
        byte[] forgedLength = [0xA5, 0xFF, 0xFF, 0x10, 0x47];
        byte[] unknownCode = [0xA5, 0x20, 0x00, 0x10, 0x99, 0, 0, 0, 0, 0, 0];
        byte[] noise = [0x00, 0x15, 0x42];
        var stream = noise.Concat(forgedLength).Concat(unknownCode).Concat(badChecksum).Concat(good).ToArray();
        var buffer = new ReadOnlySequence<byte>(stream);

        Assert.True(V5FrameReader.TryRead(ref buffer, out var frame, out var skipped));

        Assert.Equal(9, frame.SequenceA);
        Assert.Equal(noise.Length + forgedLength.Length + unknownCode.Length + badChecksum.Length, skipped);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Reader_DropsAllGarbage_WhenNoStartByteIsLeft()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 1, 2, 3, 0x15 });

        Assert.False(V5FrameReader.TryRead(ref buffer, out _, out var skipped));

        Assert.Equal(4, skipped);
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Response_GivesTheModbusFrame_OrNoneForAShortPayload()
    {
        byte[] rtu = [0x01, 0x03, 0x02, 0x00, 0x02, 0x39, 0x85];
        var payload = new byte[V5Response.PrefixLength].Concat(rtu).Concat(new byte[] { 0, 0 }).ToArray(); // double CRC quirk
        var buffer = new ReadOnlySequence<byte>(Frame(V5ControlCode.Response, 7, 3, payload));
        Assert.True(V5FrameReader.TryRead(ref buffer, out var response, out _));

        Assert.True(V5Response.TryGetModbusFrame(response.Payload, out var modbus));
        var bytes = modbus.ToArray();
        var reply = ModbusRtu.ParseReply(bytes, 1, ModbusFunction.ReadHoldingRegisters);
        Assert.Equal(ModbusReplyKind.Data, reply.Kind);
        Assert.Equal(2, reply.Register(bytes, 0));

        Assert.False(V5Response.TryGetModbusFrame(new ReadOnlySequence<byte>(new byte[V5Response.PrefixLength]), out _));
    }

    [Fact]
    public void ReplyCodes_AreTheRequestCodesMinus0x3000()
    {
        Assert.Equal(V5ControlCode.Response, V5ControlCodes.ReplyTo(V5ControlCode.Request));
        Assert.Equal(V5ControlCode.HandshakeReply, V5ControlCodes.ReplyTo(V5ControlCode.Handshake));
        Assert.Equal(V5ControlCode.ReportReply, V5ControlCodes.ReplyTo(V5ControlCode.Report));
        Assert.True(V5ControlCodes.IsLoggerPush(V5ControlCode.Data));
        Assert.False(V5ControlCodes.IsLoggerPush(V5ControlCode.Response));
    }

    private static byte[] Frame(V5ControlCode code, byte sequenceA, byte sequenceB, byte[] payload)
    {
        var frame = new byte[V5Format.Overhead + payload.Length];
        V5FrameWriter.Write(frame, code, sequenceA, sequenceB, Logger, payload);
        return frame;
    }
}
