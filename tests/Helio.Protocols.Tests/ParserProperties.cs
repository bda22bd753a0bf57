using System.Buffers;
using CsCheck;
using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;
using Helio.Protocols.SolarmanV5;

namespace Helio.Protocols.Tests;

/// <summary>
/// Properties of every parser over random input: never throw, never hang, never consume more than they were
/// given, and read back what the writers wrote. The suite runs a fast subset; the long run (≥ 1,000,000 inputs
/// each) is <c>HELIO_PROPERTY_ITERATIONS=1000000 dotnet test tests/Helio.Protocols.Tests --filter ParserProperties</c>.
/// </summary>
public sealed class ParserProperties
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("HELIO_PROPERTY_ITERATIONS"), out var n) ? n : 3_000;

    private static readonly Gen<V5ControlCode> Codes = Gen.OneOf(Enum.GetValues<V5ControlCode>());

    private static readonly Gen<byte[]> ValidFrame =
        Gen.Select(Codes, Gen.Byte, Gen.Byte, Gen.UInt, Gen.Byte.Array[0, 300])
            .Select((code, a, b, serial, payload) =>
            {
                var frame = new byte[V5Format.Overhead + payload.Length];
                V5FrameWriter.Write(frame, code, a, b, serial, payload);
                return frame;
            });

    /// <summary>Random bytes, sometimes with valid frames mixed in, cut into random pieces.</summary>
    private static readonly Gen<byte[]> Stream =
        Gen.Frequency((3, Gen.Byte.Array[0, 600]), (2, Gen.Select(Gen.Byte.Array[0, 40], ValidFrame, Gen.Byte.Array[0, 40], ValidFrame).Select((g1, f1, g2, f2) => (byte[])[.. g1, .. f1, .. g2, .. f2])));

    [Fact]
    public void V5Reader_OnAnyStream_TerminatesAndAccountsForEveryByte()
    {
        Gen.Select(Stream, Gen.Int[1, 64]).Sample((bytes, chunk) =>
        {
            var buffer = Chunks.Split(bytes, chunk);
            long accounted = 0;
            for (var guard = 0; guard <= bytes.Length; guard++)
            {
                if (!V5FrameReader.TryRead(ref buffer, out var frame, out var skipped))
                {
                    accounted += skipped;
                    break;
                }
                accounted += skipped + V5Format.Overhead + frame.Payload.Length;
                Assert.True(frame.Payload.Length <= V5Format.MaxPayloadLength);
                Assert.True(V5ControlCodes.IsKnown(frame.Code));
            }
            Assert.Equal(bytes.Length, accounted + buffer.Length);
            Assert.True(buffer.Length < V5Format.MaxFrameLength, "what is left waits for the rest of at most one frame");
        }, iter: Iterations);
    }

    [Fact]
    public void V5Frames_ReadBackAsWritten_AfterGarbage()
    {
        Gen.Select(Codes, Gen.Byte, Gen.UInt, Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 50]).Sample((code, a, serial, payload, garbage) =>
        {
            var frame = new byte[V5Format.Overhead + payload.Length];
            V5FrameWriter.Write(frame, code, a, (byte)~a, serial, payload);
            // Garbage without a start byte, so it cannot hide a frame of its own.
            var clean = garbage.Select(g => g == V5Format.Start ? (byte)0 : g).ToArray();
            var buffer = new ReadOnlySequence<byte>([.. clean, .. frame]);

            Assert.True(V5FrameReader.TryRead(ref buffer, out var read, out var skipped));
            Assert.Equal(clean.Length, skipped);
            Assert.Equal((code, a, (byte)~a, serial), (read.Code, read.SequenceA, read.SequenceB, read.LoggerSerial));
            Assert.Equal(payload, read.Payload.ToArray());
        }, iter: Iterations);
    }

    [Fact]
    public void ModbusParsers_OnAnyBytes_NeverThrow_AndStayInside()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.OneOf(Enum.GetValues<ModbusFunction>())).Sample((bytes, function) =>
        {
            var rtu = ModbusRtu.ParseReply(bytes, bytes.Length > 0 ? bytes[0] : (byte)1, function);
            Assert.True(rtu.DataOffset + rtu.DataLength <= bytes.Length);
            var pdu = ModbusPdu.ParseReply(bytes, function, out var length);
            Assert.True(length <= bytes.Length && pdu.DataOffset + pdu.DataLength <= bytes.Length);
            var request = ModbusPdu.ParseRequest(bytes);
            Assert.True(request.Length <= bytes.Length);
            ModbusRtu.TryGetRequestPdu(bytes, out _, out _);

            var buffer = new ReadOnlySequence<byte>(bytes);
            if (ModbusTcp.TryRead(ref buffer, out var frame) == ModbusTcpRead.Frame)
            {
                Assert.True(frame.Pdu.Length + ModbusTcp.HeaderLength <= bytes.Length);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Decoding_AnyRegisterValues_NeverThrows()
    {
        Gen.Select(Gen.OneOf(RegisterMap.All.ToArray()), Gen.Int[0, 1000]).Sample((map, seed) =>
        {
            var random = new Random(seed);
            var reading = new InverterReading();
            for (var i = 0; i < map.Plan.Count; i++)
            {
                var bytes = new byte[map.Plan[i].Count * 2];
                random.NextBytes(bytes);
                map.Decode(i, bytes, ref reading);
            }
            map.Complete(ref reading);
            Assert.True(reading.Faults.Count <= 16 * 12);
        }, iter: Math.Min(Iterations, 100_000));
    }
}
