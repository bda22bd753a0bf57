using System.Net;
using System.Net.Sockets;
using System.Text;
using Helio.Protocols.Discovery;
using Helio.Simulator.Loggers;

namespace Helio.Simulator.Tests;

/// <summary><c>serve</c>'s answer to the discovery broadcast, over loopback UDP.</summary>
public sealed class DiscoveryTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task EitherRequestText_GetsOneReplyPerLogger_WithTheLoopbackAddress(int request)
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { Count = 3, DiscoveryPort = 0 }, TestContext.Current.CancellationToken);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await udp.SendAsync(LoggerDiscovery.Requests[request], lan.DiscoveryEndPoint!, TestContext.Current.CancellationToken);
        var found = await ReceiveAsync(udp, 3);

        Assert.Equal(lan.Loggers.Select(l => l.LoggerSerial), found.Select(f => f.Serial).Order());
        Assert.All(found, f => Assert.Equal(IPAddress.Loopback, f.Address));
        Assert.Equal(3, found.Select(f => f.Mac).Distinct().Count());
    }

    [Fact]
    public async Task TheMac_IsLocallyAdministered_AndTheSameForTheSameSerial()
    {
        Assert.Equal("0200A0EEBB01", DiscoveryResponder.Mac(2_700_000_001));
        Assert.Equal(0x02, Convert.ToByte(DiscoveryResponder.Mac(2_700_000_001)[..2], 16) & 0x02);
        Assert.True(LoggerDiscovery.TryParseReply(Encoding.ASCII.GetBytes(DiscoveryResponder.Reply(IPAddress.Parse("192.168.1.37"), 2_700_000_001)), out var parsed));
        Assert.Equal(new DiscoveredLogger(IPAddress.Parse("192.168.1.37"), "0200A0EEBB01", 2_700_000_001), parsed);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task OtherTexts_GetNoReply()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { DiscoveryPort = 0 }, TestContext.Current.CancellationToken);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await udp.SendAsync(Encoding.ASCII.GetBytes("WIFIKIT-214028-READ-PLEASE"), lan.DiscoveryEndPoint!, TestContext.Current.CancellationToken);

        Assert.Empty(await ReceiveAsync(udp, 1, TimeSpan.FromMilliseconds(300)));
    }

    /// <summary>Up to <paramref name="expected"/> parsed replies, waiting at most <paramref name="timeout"/> (default 5 s) for each.</summary>
    internal static async Task<List<DiscoveredLogger>> ReceiveAsync(UdpClient udp, int expected, TimeSpan? timeout = null)
    {
        var found = new List<DiscoveredLogger>();
        while (found.Count < expected)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            wait.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
            try
            {
                var datagram = await udp.ReceiveAsync(wait.Token);
                Assert.True(LoggerDiscovery.TryParseReply(datagram.Buffer, out var logger), Encoding.ASCII.GetString(datagram.Buffer));
                found.Add(logger);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        return found;
    }
}
