using System.IO.Pipelines;
using System.Net.Sockets;
using Helio.Protocols.SolarmanV5;
using Helio.Simulator.Faults;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Loggers;

/// <summary>Field quirks a simulated logger can show (PROTOCOLS.md, "Quirks seen in the field").</summary>
[Flags]
public enum LoggerQuirks
{
    None = 0,
    /// <summary>Two zero bytes after the Modbus CRC in responses.</summary>
    DoubleCrc = 1,
    /// <summary>A heartbeat sent between a request and its response.</summary>
    InterleavedHeartbeat = 2,
}

/// <summary>
/// A Solarman data logger in push mode: it connects to a server, sends a handshake, heartbeats on its interval,
/// and answers the server's Modbus requests from the inverter behind it, all in V5 frames.
/// </summary>
public sealed class SimulatedLogger(uint serial, SimulatedInverter inverter, TimeProvider time)
{
    private readonly SemaphoreSlim sending = new(1, 1);
    private byte ownSequence;
    private byte frameCounter;

    public uint Serial { get; } = serial;

    public SimulatedInverter Inverter { get; } = inverter;

    public LoggerQuirks Quirks { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>When set, replaces a fraction of the frames this logger sends with garbage (--garbage).</summary>
    public FrameGarbler? Garbage { get; set; }

    /// <summary>Requests answered so far.</summary>
    public int Answered { get; private set; }

    /// <summary>Time replies received from the server so far.</summary>
    public int TimeReplies { get; private set; }

    /// <summary>Runs the push-mode conversation on <paramref name="pipe"/> until the server closes it or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await SendAsync(pipe.Output, V5ControlCode.Handshake, null, Handshake(), stop.Token);
        var heartbeats = HeartbeatsAsync(pipe.Output, stop.Token);
        try
        {
            await ReadAsync(pipe, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Connects to a gateway over TCP and runs the conversation until either side ends it.</summary>
    public async Task RunAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        var stream = client.GetStream();
        await RunAsync(new StreamPipe(PipeReader.Create(stream), PipeWriter.Create(stream)), cancellationToken);
    }

    /// <summary>
    /// Stays connected like a real logger until <paramref name="cancellationToken"/> fires: after a drop it reconnects
    /// after <paramref name="retry"/> (telling <paramref name="dropped"/> why); when an <paramref name="outage"/>
    /// begins it disconnects, and it comes back as soon as the outage ends.
    /// </summary>
    public async Task KeepConnectedAsync(string host, int port, TimeSpan retry, Outage? outage, Action<Exception>? dropped, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // The token is taken before the check, so an outage beginning in between still ends this connection.
                var outageBegins = outage?.Begins ?? CancellationToken.None;
                if (outage is not null)
                {
                    await outage.WhenOnlineAsync(cancellationToken);
                }
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, outageBegins);
                try
                {
                    await RunAsync(host, port, connection.Token);
                }
                catch (Exception e) when (outageBegins.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    && e is OperationCanceledException or SocketException or IOException)
                {
                    // Taken offline, however the cut surfaced.
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    dropped?.Invoke(e);
                }
                if (outageBegins.IsCancellationRequested)
                {
                    continue; // offline: back as soon as the outage ends
                }
                await Task.Delay(retry, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private async Task ReadAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await pipe.Input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            while (V5FrameReader.TryRead(ref buffer, out var frame, out _))
            {
                if (frame.Code == V5ControlCode.Request)
                {
                    await AnswerAsync(pipe.Output, frame, cancellationToken);
                }
                else if (frame.Code is V5ControlCode.HandshakeReply or V5ControlCode.HeartbeatReply or V5ControlCode.DataReply or V5ControlCode.InfoReply or V5ControlCode.ReportReply)
                {
                    TimeReplies++;
                }
            }
            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(PipeWriter output, V5Frame request, CancellationToken cancellationToken)
    {
        if (LoggerResponse.Payload(Inverter, request.Payload, time.GetUtcNow(), Quirks) is not { } response)
        {
            return;
        }
        if (Quirks.HasFlag(LoggerQuirks.InterleavedHeartbeat))
        {
            await SendAsync(output, V5ControlCode.Heartbeat, null, LoggerResponse.Heartbeat(), cancellationToken);
        }
        await SendAsync(output, V5ControlCode.Response, request.SequenceA, response, cancellationToken);
        Answered++;
    }

    private async Task HeartbeatsAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await SendAsync(output, V5ControlCode.Heartbeat, null, LoggerResponse.Heartbeat(), cancellationToken);
        }
    }

    private async Task SendAsync(PipeWriter output, V5ControlCode code, byte? sequenceA, byte[] payload, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            var frame = new byte[V5Format.Overhead + payload.Length];
            V5FrameWriter.Write(frame, code, sequenceA ?? ++ownSequence, ++frameCounter, Serial, payload);
            await output.WriteAsync(Garbage?.Apply(frame, checksum: ^2) ?? frame, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    private static byte[] Handshake()
    {
        // Frame type, then what a real handshake carries (firmware, MAC, IP): enough to look the part.
        var payload = new byte[60];
        payload[0] = 0x02;
        System.Text.Encoding.ASCII.GetBytes("LSW3_15_FFFF_1.0.57").CopyTo(payload, 19);
        return payload;
    }
}
