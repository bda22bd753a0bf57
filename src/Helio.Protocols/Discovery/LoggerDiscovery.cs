using System.Net;
using System.Text;

namespace Helio.Protocols.Discovery;

/// <summary>A logger that answered the discovery broadcast.</summary>
public sealed record DiscoveredLogger(IPAddress Address, string Mac, uint Serial);

/// <summary>
/// Finding Solarman loggers on a LAN: a UDP broadcast of a fixed text to port 48899 makes each logger answer
/// "IP,MAC,SERIAL" (PROTOCOLS.md, "Discovery").
/// </summary>
public static class LoggerDiscovery
{
    public const int Port = 48899;

    /// <summary>The two texts loggers are known to answer; send both.</summary>
    public static IReadOnlyList<byte[]> Requests { get; } = [Encoding.ASCII.GetBytes("WIFIKIT-214028-READ"), Encoding.ASCII.GetBytes("HF-A11ASSISTHREAD")];

    /// <summary>Parses one reply datagram; false for anything that is not "IP,MAC,SERIAL" with a 10-digit serial.</summary>
    public static bool TryParseReply(ReadOnlySpan<byte> datagram, out DiscoveredLogger logger)
    {
        logger = null!;
        if (datagram.Length is 0 or > 128 || !Ascii.IsValid(datagram))
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(datagram).Trim('\0', ' ', '\r', '\n').Split(',');
        if (parts.Length != 3
            || !IPAddress.TryParse(parts[0], out var address)
            || parts[1].Length != 12 || !parts[1].All(char.IsAsciiHexDigit)
            || parts[2].Length != 10 || !uint.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var serial))
        {
            return false;
        }
        logger = new DiscoveredLogger(address, parts[1].ToUpperInvariant(), serial);
        return true;
    }
}
