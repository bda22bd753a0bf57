using System.Buffers;
using System.Net.Sockets;
using Helio.Protocols.Modbus;
using Helio.Protocols.SolarmanV5;

namespace Helio.Collector.Sources;

/// <summary>
/// A Solarman logger in client mode (PROTOCOLS.md, way 2): Modbus RTU requests in 0x4510 frames carrying the
/// logger's serial (a logger ignores frames with another serial), answered in 0x1510 frames with the same
/// sequence byte A. Heartbeats the logger interleaves and the "double CRC" are skipped by the codecs.
/// </summary>
internal sealed class V5ClientConnection(TcpClient client, LoggerSource source, TimeSpan timeout, TimeProvider time)
    : RegisterConnection(client, source, timeout, time)
{
    private byte sequence;

    protected override byte[] WriteRequest(ModbusFunction function, ushort start, ushort count)
    {
        Span<byte> rtu = stackalloc byte[ModbusRtu.ReadRequestLength];
        ModbusRtu.WriteReadRequest(rtu, Source.Unit, function, start, count);
        var frame = new byte[V5Format.Overhead + V5FrameWriter.RequestPrefixLength + rtu.Length];
        V5FrameWriter.WriteRequest(frame, ++sequence, 0, Source.LoggerSerial, rtu);
        return frame;
    }

    protected override BlockRead? TryReadAnswer(ref ReadOnlySequence<byte> buffer, ModbusFunction function, ushort count, ref long skipped)
    {
        Span<byte> scratch = stackalloc byte[ModbusRtu.MaxLength + 2];
        while (true)
        {
            var found = V5FrameReader.TryRead(ref buffer, out var frame, out var garbage);
            skipped += garbage;
            if (!found)
            {
                return null;
            }
            if (frame.Code != V5ControlCode.Response || frame.SequenceA != sequence)
            {
                continue;
            }
            if (!V5Response.TryGetModbusFrame(frame.Payload, scratch, out var rtu))
            {
                return BlockRead.Failed("the logger answered without a Modbus frame (is the logger serial right? is the inverter on?)");
            }
            return Registers(ModbusRtu.ParseReply(rtu, Source.Unit, function), rtu, count);
        }
    }
}
