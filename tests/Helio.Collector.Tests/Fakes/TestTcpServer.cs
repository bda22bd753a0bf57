using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Helio.Collector.Tests.Fakes;

/// <summary>
/// A device on the loopback interface answering one request at a time, with the misbehaviour tests need: closing
/// each connection after some answers, or not answering at all.
/// </summary>
internal abstract class TestTcpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int connections;
    private int answers;

    protected TestTcpServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

    public int Connections => Volatile.Read(ref connections);

    public int Answers => Volatile.Read(ref answers);

    /// <summary>Each connection is closed after this many answers (0: never).</summary>
    public int CloseAfterAnswers { get; set; }

    /// <summary>Requests are read and never answered.</summary>
    public bool Silent { get; set; }

    /// <summary>
    /// Takes one request from <paramref name="buffer"/>: false when more bytes are needed; otherwise true with the
    /// bytes to send back, or null to stay silent.
    /// </summary>
    protected abstract bool TryAnswer(ref ReadOnlySequence<byte> buffer, out byte[]? answer);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var input = PipeReader.Create(stream);
            var answered = 0;
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(stop.Token);
                    var buffer = result.Buffer;
                    while (TryAnswer(ref buffer, out var answer))
                    {
                        if (answer is null || Silent)
                        {
                            continue;
                        }
                        await stream.WriteAsync(answer, stop.Token);
                        Interlocked.Increment(ref answers);
                        if (++answered == CloseAfterAnswers)
                        {
                            return;
                        }
                    }
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The test is over, or the collector hung up.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
