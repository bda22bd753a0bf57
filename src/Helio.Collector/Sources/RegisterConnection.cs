using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Helio.Protocols.Modbus;

namespace Helio.Collector.Sources;

/// <summary>What one read brought back: the registers' big-endian bytes, or why there are none.</summary>
internal readonly record struct BlockRead(byte[]? Registers, string? Problem)
{
    public static BlockRead Failed(string problem) => new(null, problem);
}

/// <summary>
/// One TCP connection to a logger or Modbus device, kept open between polls, with one request in flight: a
/// request is written, then answers are read until the one matching it arrives. Anything else on the line (a
/// logger's heartbeat, a late answer to an earlier request) is skipped. No answer within the timeout, the other
/// side closing, or too many bytes that are no frames end the connection with an exception; the poller then
/// reconnects, so a late answer can never be taken for the next request's.
/// </summary>
internal abstract class RegisterConnection : IAsyncDisposable
{
    /// <summary>Bytes that are no frames, per request, before the connection is given up: a stream this broken is not a logger.</summary>
    private const int MaxSkippedBytes = 64 * 1024;

    private readonly TcpClient client;
    private readonly NetworkStream stream;
    private readonly PipeReader input;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    protected RegisterConnection(TcpClient client, LoggerSource source, TimeSpan timeout, TimeProvider time)
    {
        this.client = client;
        stream = client.GetStream();
        input = PipeReader.Create(stream);
        Source = source;
        this.timeout = timeout;
        this.time = time;
    }

    protected LoggerSource Source { get; }

    /// <summary>Connects to <paramref name="source"/> within <paramref name="timeout"/>, speaking its protocol.</summary>
    public static async Task<RegisterConnection> OpenAsync(LoggerSource source, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // Without an address family the socket is made on connect, for whatever the host name resolves to.
        var client = new TcpClient();
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await client.ConnectAsync(source.Host, source.Port, connecting.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new TimeoutException($"no connection within {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            client.Dispose();
            throw;
        }
        // Requests are small and each waits for its answer: send them at once.
        client.NoDelay = true;
        return source.Kind == SourceKind.V5
            ? new V5ClientConnection(client, source, timeout, time)
            : new ModbusTcpConnection(client, source, timeout, time);
    }

    /// <summary>Reads <paramref name="count"/> registers from <paramref name="start"/> with <paramref name="function"/>.</summary>
    public async Task<BlockRead> ReadAsync(ModbusFunction function, ushort start, ushort count, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(WriteRequest(function, start, count), cancellationToken);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        long skipped = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer for registers from 0x{start:X4} within {timeout.TotalSeconds:0.#} s");
            }
            var buffer = result.Buffer;
            var answer = TryReadAnswer(ref buffer, function, count, ref skipped);
            input.AdvanceTo(buffer.Start, buffer.End);
            if (answer is { } read)
            {
                return read;
            }
            if (skipped > MaxSkippedBytes)
            {
                throw new IOException($"{skipped} bytes that are no frames");
            }
            if (result.IsCompleted)
            {
                throw new IOException("the connection was closed by the other side");
            }
        }
    }

    /// <summary>The request's bytes on the wire; the connection remembers what its answer must match.</summary>
    protected abstract byte[] WriteRequest(ModbusFunction function, ushort start, ushort count);

    /// <summary>
    /// Reads frames from <paramref name="buffer"/> (advancing it) until the answer to the request in flight: that
    /// answer, or null when more bytes are needed. Adds bytes skipped as garbage to <paramref name="skipped"/>.
    /// </summary>
    protected abstract BlockRead? TryReadAnswer(ref ReadOnlySequence<byte> buffer, ModbusFunction function, ushort count, ref long skipped);

    /// <summary>The registers of a parsed Modbus reply, copied out of the connection's buffer, or what was wrong with it.</summary>
    protected static BlockRead Registers(ModbusReply reply, ReadOnlySpan<byte> parsed, ushort count) => reply.Kind switch
    {
        ModbusReplyKind.Data when reply.RegisterCount == count => new(parsed.Slice(reply.DataOffset, reply.DataLength).ToArray(), null),
        ModbusReplyKind.Data => BlockRead.Failed($"the inverter answered {reply.RegisterCount} registers instead of {count}"),
        ModbusReplyKind.Exception => BlockRead.Failed($"the inverter answered with Modbus exception {(byte)reply.Exception} ({reply.Exception})"),
        _ => BlockRead.Failed("the answer was not a valid Modbus reply"),
    };

    public async ValueTask DisposeAsync()
    {
        await input.CompleteAsync();
        await stream.DisposeAsync();
        client.Dispose();
    }
}
