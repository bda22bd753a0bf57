using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Helio.Protocols.Modbus;
using Helio.Protocols.SolarmanV5;
using Helio.Simulator.Inverters;

namespace Helio.Collector.Tests.Fakes;

/// <summary>
/// Solarman loggers in client mode on one port, told apart by the serial in each V5 frame (a frame with an unknown
/// serial is ignored, as a real logger does), with the field quirks: a heartbeat before the response, two extra
/// bytes after the Modbus CRC.
/// </summary>
internal sealed class TestV5Logger(params (uint Serial, SimulatedInverter Inverter)[] loggers) : TestTcpServer
{
    private readonly Dictionary<uint, SimulatedInverter> inverters = loggers.ToDictionary(l => l.Serial, l => l.Inverter);
    private byte frameCounter;

    public bool DoubleCrc { get; set; }

    public bool InterleavedHeartbeat { get; set; }

    /// <summary>The logger serial of every frame received.</summary>
    public ConcurrentQueue<uint> SerialsSeen { get; } = new();

    protected override bool TryAnswer(ref ReadOnlySequence<byte> buffer, out byte[]? answer)
    {
        answer = null;
        if (!V5FrameReader.TryRead(ref buffer, out var frame, out _))
        {
            return false;
        }
        SerialsSeen.Enqueue(frame.LoggerSerial);
        if (frame.Code != V5ControlCode.Request || !inverters.TryGetValue(frame.LoggerSerial, out var inverter))
        {
            return true;
        }
        var rtu = new byte[ModbusRtu.MaxLength + 2];
        var rtuLength = ModbusResponder.AnswerRtu(inverter.Bank, 1, frame.Payload.ToArray().AsSpan(15), rtu);
        if (DoubleCrc && rtuLength > 0)
        {
            rtuLength += 2;
        }
        var payload = new byte[14 + rtuLength];
        payload[0] = 0x02; // frame type: inverter
        payload[1] = 0x01; // status: real-time data
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(2), (uint)TestInverters.Noon.ToUnixTimeSeconds());
        rtu.AsSpan(0, rtuLength).CopyTo(payload.AsSpan(14));

        var frames = new List<byte>();
        if (InterleavedHeartbeat)
        {
            frames.AddRange(Frame(V5ControlCode.Heartbeat, 0x33, frame.LoggerSerial, [0x00]));
        }
        frames.AddRange(Frame(V5ControlCode.Response, frame.SequenceA, frame.LoggerSerial, payload));
        answer = [.. frames];
        return true;
    }

    private byte[] Frame(V5ControlCode code, byte sequenceA, uint serial, byte[] payload)
    {
        var bytes = new byte[V5Format.Overhead + payload.Length];
        V5FrameWriter.Write(bytes, code, sequenceA, ++frameCounter, serial, payload);
        return bytes;
    }
}
