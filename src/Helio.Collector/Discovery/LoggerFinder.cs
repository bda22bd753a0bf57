using System.Net;
using System.Net.Sockets;
using Helio.Protocols.Discovery;

namespace Helio.Collector.Discovery;

/// <summary>
/// One round of discovery (PROTOCOLS.md, "Discovery"): both request texts go to the broadcast (or given)
/// address, and every "IP,MAC,SERIAL" reply that arrives within the listening time is collected, once per
/// logger serial. Datagrams that are not such replies are ignored.
/// </summary>
internal static class LoggerFinder
{
    public static async Task<IReadOnlyList<DiscoveredLogger>> FindAsync(IPEndPoint target, TimeSpan listen, int max, TimeProvider time, CancellationToken cancellationToken)
    {
        using var udp = new UdpClient(target.AddressFamily) { EnableBroadcast = true };
        foreach (var request in LoggerDiscovery.Requests)
        {
            await udp.SendAsync(request, target, cancellationToken);
        }
        var found = new Dictionary<uint, DiscoveredLogger>();
        using var window = new CancellationTokenSource(listen, time);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token);
        while (found.Count < max)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await udp.ReceiveAsync(listening.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException) when (!cancellationToken.IsCancellationRequested)
            {
                // An ICMP "port unreachable" for a unicast target surfaces here (connection reset): nobody listens there.
                continue;
            }
            if (LoggerDiscovery.TryParseReply(datagram.Buffer, out var logger))
            {
                found.TryAdd(logger.Serial, logger);
            }
        }
        return [.. found.Values];
    }
}
