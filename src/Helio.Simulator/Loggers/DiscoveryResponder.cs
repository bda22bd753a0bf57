using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Helio.Protocols.Discovery;
using Helio.Simulator.Faults;

namespace Helio.Simulator.Loggers;

/// <summary>
/// Answers the discovery broadcast (PROTOCOLS.md, "Discovery"): for <c>WIFIKIT-214028-READ</c> or
/// <c>HF-A11ASSISTHREAD</c>, one datagram "IP,MAC,SERIAL" per logger to the asker. IP is the address the request
/// arrived on (127.0.0.1 on loopback; for a broadcast, the address of the interface it came in on); the MAC is a
/// locally administered one made from the serial (02:00 and the serial's four bytes), so it never clashes with
/// real hardware. Limits keep it from being a flood amplifier: at most <see cref="MaxRequestsPerSecond"/> requests
/// answered and <see cref="MaxRepliesPerRequest"/> loggers per answer.
/// </summary>
internal sealed class DiscoveryResponder : IAsyncDisposable
{
    public const int MaxRequestsPerSecond = 10;
    public const int MaxRepliesPerRequest = 1000;

    private readonly Socket socket;
    private readonly IReadOnlyList<uint> serials;
    private readonly Outage outage;
    private readonly TimeProvider time = TimeProvider.System;
    private readonly CancellationTokenSource stop = new();
    private readonly Task answering;
    private long windowStart;
    private int requestsInWindow;

    private DiscoveryResponder(Socket socket, IReadOnlyList<uint> serials, Outage outage)
    {
        this.socket = socket;
        this.serials = serials;
        this.outage = outage;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        windowStart = time.GetTimestamp();
        answering = AnswerAsync();
    }

    public IPEndPoint EndPoint { get; }

    public static DiscoveryResponder Start(IPEndPoint endPoint, IReadOnlyList<uint> serials, Outage outage)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen for discovery on {endPoint}: {e.Message}", e);
        }
        return new DiscoveryResponder(socket, serials, outage);
    }

    /// <summary>"IP,MAC,SERIAL" as a logger answers.</summary>
    public static string Reply(IPAddress address, uint serial) =>
        string.Create(CultureInfo.InvariantCulture, $"{address},{Mac(serial)},{serial:D10}");

    /// <summary>A locally administered MAC address (bit 1 of the first byte set) made from the serial: 0200 and its four bytes.</summary>
    public static string Mac(uint serial) => string.Create(CultureInfo.InvariantCulture, $"0200{serial:X8}");

    private async Task AnswerAsync()
    {
        var buffer = new byte[128];
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. an ICMP "port unreachable" for an earlier reply
            }
            if (!IsRequest(buffer.AsSpan(0, received.ReceivedBytes)) || outage.IsOffline || !WithinRate())
            {
                continue;
            }
            var address = ReplyAddress(received.PacketInformation);
            foreach (var serial in serials.Take(MaxRepliesPerRequest))
            {
                try
                {
                    await socket.SendToAsync(Encoding.ASCII.GetBytes(Reply(address, serial)), SocketFlags.None, received.RemoteEndPoint, stop.Token);
                }
                catch (SocketException)
                {
                    break; // the asker is gone
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static bool IsRequest(ReadOnlySpan<byte> datagram)
    {
        foreach (var request in LoggerDiscovery.Requests)
        {
            if (datagram.SequenceEqual(request))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Requests answered per second, in fixed windows.</summary>
    private bool WithinRate()
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(windowStart, now) >= TimeSpan.FromSeconds(1))
        {
            windowStart = now;
            requestsInWindow = 0;
        }
        return ++requestsInWindow <= MaxRequestsPerSecond;
    }

    /// <summary>The address a logger on this host would give: where the request arrived, or for a broadcast, its interface's address.</summary>
    private IPAddress ReplyAddress(IPPacketInformation packet)
    {
        var to = packet.Address;
        if (to is null || IPAddress.IsLoopback(to))
        {
            return IPAddress.Loopback;
        }
        if (!EndPoint.Address.Equals(IPAddress.Any) && !EndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            return EndPoint.Address;
        }
        var local = InterfaceAddresses(packet.Interface, to.AddressFamily);
        return local.Contains(to) ? to : local.FirstOrDefault() ?? IPAddress.Loopback;
    }

    private static List<IPAddress> InterfaceAddresses(int index, AddressFamily family)
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var properties = nic.GetIPProperties();
            int? nicIndex;
            try
            {
                nicIndex = family == AddressFamily.InterNetworkV6 ? properties.GetIPv6Properties()?.Index : properties.GetIPv4Properties()?.Index;
            }
            catch (NetworkInformationException)
            {
                continue; // an interface without that address family
            }
            if (nicIndex == index)
            {
                return [.. properties.UnicastAddresses.Select(u => u.Address).Where(a => a.AddressFamily == family)];
            }
        }
        return [];
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await answering;
        socket.Dispose();
        stop.Dispose();
    }
}
