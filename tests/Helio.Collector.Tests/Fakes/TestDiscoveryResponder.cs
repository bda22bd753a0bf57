using System.Net;
using System.Net.Sockets;
using System.Text;
using Helio.Protocols.Discovery;

namespace Helio.Collector.Tests.Fakes;

/// <summary>Loggers answering the discovery request on a loopback UDP port, each with its "IP,MAC,SERIAL" line, after some noise.</summary>
internal sealed class TestDiscoveryResponder : IAsyncDisposable
{
    private readonly UdpClient udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource stop = new();
    private readonly Task answering;
    private int requests;

    public TestDiscoveryResponder(params string[] replies)
    {
        Replies = replies;
        answering = AnswerAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)udp.Client.LocalEndPoint!;

    /// <summary>The lines sent back to each request; may change between rounds.</summary>
    public string[] Replies { get; set; }

    public int Requests => Volatile.Read(ref requests);

    private async Task AnswerAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await udp.ReceiveAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (!LoggerDiscovery.Requests.Any(r => r.AsSpan().SequenceEqual(request.Buffer)))
            {
                continue;
            }
            Interlocked.Increment(ref requests);
            await udp.SendAsync(Encoding.ASCII.GetBytes("+ok"), request.RemoteEndPoint, stop.Token);
            foreach (var reply in Replies)
            {
                await udp.SendAsync(Encoding.ASCII.GetBytes(reply), request.RemoteEndPoint, stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        udp.Dispose();
        await answering;
        stop.Dispose();
    }
}
