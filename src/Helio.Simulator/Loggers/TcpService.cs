using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Helio.Simulator.Faults;

namespace Helio.Simulator.Loggers;

/// <summary>
/// Accepts TCP connections on one endpoint and serves each until the client leaves, an outage begins, or the service
/// is disposed. At most <c>maxConnections</c> at once: more are closed as they arrive, and so is every connection
/// that arrives during an outage (a logger that is offline takes no one).
/// </summary>
internal sealed class TcpService : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int maxConnections;
    private readonly Outage outage;
    private readonly Func<NetworkStream, CancellationToken, Task> serve;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<Task, byte> connections = new();
    private readonly Task accepting;

    private TcpService(TcpListener listener, int maxConnections, Outage outage, Func<NetworkStream, CancellationToken, Task> serve)
    {
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.outage = outage;
        this.serve = serve;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Listens on <paramref name="endPoint"/>; a port that cannot be had is an <see cref="IOException"/> naming <paramref name="what"/>.</summary>
    public static TcpService Start(string what, IPEndPoint endPoint, int maxConnections, Outage outage, Func<NetworkStream, CancellationToken, Task> serve)
    {
        var listener = new TcpListener(endPoint);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"Cannot listen for {what} on {endPoint}: {e.Message}", e);
        }
        return new TcpService(listener, maxConnections, outage, serve);
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that gave up while being accepted, or the system out of sockets for a moment: no busy loop.
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            if (outage.IsOffline || connections.Count >= maxConnections)
            {
                socket.Dispose();
                continue;
            }
            var connection = ServeAsync(socket);
            connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(done => connections.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield(); // off the accept loop
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, outage.Begins);
        socket.NoDelay = true; // frames are small and answered one by one
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await serve(stream, lifetime.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client left, the loggers went offline, or the simulator stops: the connection closes either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        await Task.WhenAll(connections.Keys);
        listener.Dispose();
        stop.Dispose();
    }
}
