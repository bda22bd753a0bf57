using System.Buffers;
using System.Buffers.Binary;

namespace Helio.Protocols.SolarmanV5;

/// <summary>
/// Reads V5 frames from a byte stream as it arrives (for example a pipe's buffer). It resynchronises on
/// garbage: bytes that do not begin a well-formed frame (start byte, a length within
/// <see cref="V5Format.MaxPayloadLength"/>, a known control code, end byte, checksum) are skipped one at a
/// time and counted. The control code is checked before waiting for the rest of a frame, so that a stray
/// start byte in garbage rarely makes the reader wait for a length of bytes that never was a frame.
/// It never looks past a frame's declared length and allocates nothing.
/// </summary>
public static class V5FrameReader
{
    /// <summary>
    /// Reads the first frame in <paramref name="buffer"/>. Returns true with the frame and the buffer advanced past
    /// it; or false when more bytes are needed, with the buffer advanced past any garbage only.
    /// <paramref name="skippedBytes"/> counts the garbage skipped in this call either way.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out V5Frame frame, out long skippedBytes)
    {
        skippedBytes = 0;
        Span<byte> header = stackalloc byte[V5Format.HeaderLength];
        while (true)
        {
            var start = buffer.PositionOf(V5Format.Start);
            if (start is null)
            {
                skippedBytes += buffer.Length;
                buffer = buffer.Slice(buffer.End);
                frame = default;
                return false;
            }
            var skipped = buffer.Slice(0, start.Value).Length;
            skippedBytes += skipped;
            buffer = buffer.Slice(start.Value);

            if (buffer.Length < V5Format.HeaderLength)
            {
                frame = default;
                return false;
            }
            buffer.Slice(0, V5Format.HeaderLength).CopyTo(header);
            var payloadLength = BinaryPrimitives.ReadUInt16LittleEndian(header[1..]);
            var code = (V5ControlCode)BinaryPrimitives.ReadUInt16LittleEndian(header[3..]);
            if (payloadLength > V5Format.MaxPayloadLength || !V5ControlCodes.IsKnown(code))
            {
                Skip(ref buffer, ref skippedBytes);
                continue;
            }
            var frameLength = V5Format.Overhead + payloadLength;
            if (buffer.Length < frameLength)
            {
                frame = default;
                return false;
            }
            var candidate = buffer.Slice(0, frameLength);
            if (!IsIntact(candidate, frameLength))
            {
                Skip(ref buffer, ref skippedBytes);
                continue;
            }
            frame = new V5Frame(
                code,
                header[5],
                header[6],
                BinaryPrimitives.ReadUInt32LittleEndian(header[7..]),
                candidate.Slice(V5Format.HeaderLength, payloadLength));
            buffer = buffer.Slice(frameLength);
            return true;
        }
    }

    private static void Skip(ref ReadOnlySequence<byte> buffer, ref long skippedBytes)
    {
        buffer = buffer.Slice(1);
        skippedBytes++;
    }

    private static bool IsIntact(ReadOnlySequence<byte> candidate, int frameLength)
    {
        var trailer = candidate.Slice(frameLength - V5Format.TrailerLength);
        Span<byte> checksumAndEnd = stackalloc byte[V5Format.TrailerLength];
        trailer.CopyTo(checksumAndEnd);
        if (checksumAndEnd[1] != V5Format.End)
        {
            return false;
        }
        return V5Format.Checksum(candidate.Slice(1, frameLength - 1 - V5Format.TrailerLength)) == checksumAndEnd[0];
    }
}
