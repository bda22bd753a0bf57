using System.Buffers;

namespace Helio.Protocols.SolarmanV5;

/// <summary>The fixed parts of a V5 frame (PROTOCOLS.md, "Solarman V5 frame"). Multi-byte fields are little-endian.</summary>
public static class V5Format
{
    public const byte Start = 0xA5;
    public const byte End = 0x15;

    /// <summary>Start, length, control code, the two sequence bytes and the logger serial.</summary>
    public const int HeaderLength = 11;

    /// <summary>Checksum and end.</summary>
    public const int TrailerLength = 2;

    public const int Overhead = HeaderLength + TrailerLength;

    /// <summary>
    /// The largest payload accepted. The biggest frames seen are G3 push data frames of about 1,445 bytes;
    /// anything declaring more is treated as garbage, so a forged length cannot make a reader wait for more.
    /// </summary>
    public const int MaxPayloadLength = 2048;

    public const int MaxFrameLength = MaxPayloadLength + Overhead;

    /// <summary>Sum of the bytes from the length field to the last payload byte, modulo 256.</summary>
    public static byte Checksum(ReadOnlySpan<byte> lengthToPayloadEnd) => (byte)Sum(lengthToPayloadEnd);

    /// <summary>The same over bytes that may lie in several segments of a stream's buffer.</summary>
    public static byte Checksum(ReadOnlySequence<byte> lengthToPayloadEnd)
    {
        var sum = 0;
        foreach (var segment in lengthToPayloadEnd)
        {
            sum += Sum(segment.Span);
        }
        return (byte)sum;
    }

    private static int Sum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }
        return sum;
    }
}
