using System.Buffers;
using System.IO.Pipelines;
using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;
using Helio.Protocols.SolarmanV5;

namespace Helio.Server.Features.Gateway;

/// <summary>What became of a register write: confirmed by the inverter's echo, refused with a Modbus exception, or unanswered.</summary>
internal readonly record struct RegisterWrite(RegisterWriteOutcome Outcome, ModbusException Exception);

internal enum RegisterWriteOutcome
{
    Confirmed,
    Refused,
    NoAnswer,
}

/// <summary>One poll of one inverter, as the gateway hands it on.</summary>
internal sealed record PolledReading(uint LoggerSerial, string InverterSerial, DateTimeOffset At, InverterReading Reading);

/// <summary>
/// The conversation with one logger in push mode: every frame it pushes (handshake, data, info, heartbeat,
/// report) gets the server's time reply; the inverter behind it is identified by its serial-number registers and
/// then read on <see cref="GatewayOptions.PollInterval"/>, one request in flight at a time, each with a timeout.
/// Responses are matched to requests by sequence byte A, so heartbeats the logger interleaves do no harm. A
/// connection silent for <see cref="GatewayOptions.IdleTimeout"/> ends.
/// </summary>
internal sealed partial class LoggerSession(
    IDuplexPipe pipe,
    GatewayOptions options,
    TimeProvider time,
    ILogger logger,
    GatewayMetrics metrics,
    Func<PolledReading, CancellationToken, ValueTask> onReading,
    Func<uint, string, CancellationToken, ValueTask>? onIdentified = null,
    Action<uint>? onLogger = null,
    LoggerLinks? links = null)
{
    private readonly RegisterMap map = RegisterMap.SofarG3;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly SemaphoreSlim inFlight = new(1, 1);
    private readonly TaskCompletionSource<uint> identified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Written by the poller, read by the frame reader on another thread.
    private volatile PendingRequest? pending;
    private byte sequence;
    private long windowStart = time.GetTimestamp();
    private int framesInWindow;

    public uint? LoggerSerial { get; private set; }

    public string? InverterSerial { get; private set; }

    /// <summary>Frames skipped as garbage (bytes), for the gateway's counters.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Why the session ended by itself ("idle", "garbage", "flood", "closed"); null while it runs or when it was stopped.</summary>
    public string? EndReason { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var polling = PollAsync(stop.Token);
        try
        {
            EndReason = await ReadAsync(stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            identified.TrySetCanceled(stop.Token);
            pending?.Response.TrySetCanceled(stop.Token);
            try
            {
                await polling;
            }
            catch (OperationCanceledException)
            {
                // The connection ended; the poll in progress ends with it.
            }
        }
    }

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(options.IdleTimeout);
            ReadResult result;
            try
            {
                result = await pipe.Input.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogIdle(logger, LoggerSerial ?? 0, options.IdleTimeout);
                return "idle";
            }
            var buffer = result.Buffer;
            while (true)
            {
                var found = V5FrameReader.TryRead(ref buffer, out var frame, out var skipped);
                if (skipped > 0)
                {
                    SkippedBytes += skipped;
                    metrics.Garbage(skipped);
                    if (LoggerSerial is { } known)
                    {
                        links?.BadFrame(known);
                    }
                }
                if (SkippedBytes > options.MaxGarbageBytes)
                {
                    LogGarbage(logger, LoggerSerial ?? 0, SkippedBytes);
                    return "garbage";
                }
                if (!found)
                {
                    break;
                }
                // Answers to the gateway's own requests are as many as it asks for; only what the logger sends of
                // its own accord counts against the flood limit, so a fast poll interval never cuts an honest logger.
                if (!IsAwaitedResponse(frame) && !WithinFrameRate())
                {
                    LogFlood(logger, LoggerSerial ?? 0, options.MaxFramesPerMinute);
                    return "flood";
                }
                metrics.Frame(frame.Code);
                await OnFrameAsync(frame, cancellationToken);
            }
            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return "closed";
            }
        }
    }

    /// <summary>The first answer to the request in flight; repeats of it count like any other frame.</summary>
    private bool IsAwaitedResponse(V5Frame frame) =>
        frame.Code == V5ControlCode.Response && pending is { } request && frame.SequenceA == request.Sequence && !request.Response.Task.IsCompleted;

    /// <summary>Counts frames per minute (fixed windows: cheap, and exact enough to stop a flood).</summary>
    private bool WithinFrameRate()
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(windowStart, now) >= TimeSpan.FromMinutes(1))
        {
            windowStart = now;
            framesInWindow = 0;
        }
        return ++framesInWindow <= options.MaxFramesPerMinute;
    }

    private async Task OnFrameAsync(V5Frame frame, CancellationToken cancellationToken)
    {
        links?.Heard(frame.LoggerSerial);
        if (LoggerSerial is null)
        {
            LoggerSerial = frame.LoggerSerial;
            onLogger?.Invoke(frame.LoggerSerial);
            identified.TrySetResult(frame.LoggerSerial);
        }
        if (V5ControlCodes.IsLoggerPush(frame.Code))
        {
            var reply = new byte[V5FrameWriter.TimeReplyLength];
            V5FrameWriter.WriteTimeReply(reply, frame, (uint)time.GetUtcNow().ToUnixTimeSeconds());
            await WriteAsync(reply, cancellationToken);
        }
        else if (frame.Code == V5ControlCode.Response && pending is { } request && frame.SequenceA == request.Sequence)
        {
            Span<byte> scratch = stackalloc byte[ModbusRtu.MaxLength + 2];
            request.Response.TrySetResult(V5Response.TryGetModbusFrame(frame.Payload, scratch, out var rtu) ? rtu.ToArray() : []);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var loggerSerial = await identified.Task.WaitAsync(cancellationToken);
        var serialBlock = map.SerialNumber!;
        // An inverter asleep at night, or busy, does not answer (or answers blanks): ask again every poll interval,
        // not just once; said once as a warning, then quietly, as a fleet asleep at night would flood the log.
        string? inverterSerial;
        for (var attempt = 0; string.IsNullOrEmpty(inverterSerial = await ReadSerialAsync(serialBlock.Start, serialBlock.Count, cancellationToken)); attempt++)
        {
            if (attempt == 0)
            {
                LogUnidentified(logger, loggerSerial);
            }
            await Task.Delay(options.PollInterval, time, cancellationToken);
        }
        InverterSerial = inverterSerial;
        if (onIdentified is not null)
        {
            await onIdentified(loggerSerial, InverterSerial, cancellationToken);
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            var reading = new InverterReading();
            var complete = true;
            for (var i = 0; i < map.Plan.Count && complete; i++)
            {
                var block = await ReadBlockAsync(map.Plan[i].Start, map.Plan[i].Count, cancellationToken);
                if (block is { } answered)
                {
                    map.Decode(i, answered.Span, ref reading);
                }
                complete = block is not null;
            }
            if (complete)
            {
                map.Complete(ref reading);
                await onReading(new PolledReading(loggerSerial, InverterSerial, time.GetUtcNow(), reading), cancellationToken);
            }
            // A fixed rate: the next poll is due an interval after this one started, however long reading and storing
            // took, so polls do not drift later one by one. One that ran past its slot polls again at once.
            var wait = started + options.PollInterval - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    private async Task<string?> ReadSerialAsync(ushort start, int count, CancellationToken cancellationToken) =>
        await ReadBlockAsync(start, count, cancellationToken) is { } block ? RegisterMap.DecodeAscii(block.Span) : null;

    /// <summary>The registers' big-endian bytes, read through the logger; null when it did not answer in time or answered with an error.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadBlockAsync(ushort start, int count, CancellationToken cancellationToken)
    {
        var rtu = new byte[ModbusRtu.ReadRequestLength];
        ModbusRtu.WriteReadRequest(rtu, map.Unit, map.Function, start, (ushort)count);
        if (await ExchangeAsync(rtu, start, cancellationToken) is not { } response)
        {
            links?.Request(LoggerSerial!.Value, answered: false);
            return null;
        }
        var reply = ModbusRtu.ParseReply(response, map.Unit, map.Function);
        if (reply.Kind != ModbusReplyKind.Data || reply.RegisterCount != count)
        {
            links?.Request(LoggerSerial!.Value, answered: false);
            LogBadReply(logger, LoggerSerial!.Value, start, reply.Kind, reply.Exception);
            return null;
        }
        links?.Request(LoggerSerial!.Value, answered: true);
        return response.AsMemory(reply.DataOffset, reply.DataLength);
    }

    /// <summary>
    /// Writes registers on the inverter through the logger, between polls (one request in flight), and says whether
    /// the inverter confirmed the write by echoing it. Remote operations (the Access issue) build on this.
    /// </summary>
    public async Task<RegisterWrite> WriteRegistersAsync(ushort start, ushort[] values, CancellationToken cancellationToken)
    {
        if (LoggerSerial is null)
        {
            throw new InvalidOperationException("The logger has not sent a frame yet: there is nobody to write to.");
        }
        var rtu = new byte[ModbusRtu.MaxLength];
        var function = values.Length == 1 ? ModbusFunction.WriteSingleRegister : ModbusFunction.WriteMultipleRegisters;
        var length = values.Length == 1
            ? ModbusRtu.WriteSingleRegisterRequest(rtu, map.Unit, start, values[0])
            : ModbusRtu.WriteMultipleRegistersRequest(rtu, map.Unit, start, values);
        if (await ExchangeAsync(rtu[..length], start, cancellationToken) is not { } response)
        {
            return new RegisterWrite(RegisterWriteOutcome.NoAnswer, ModbusException.None);
        }
        var reply = ModbusRtu.ParseReply(response, map.Unit, function);
        return reply.Kind switch
        {
            // The echo repeats address and value (06) or address and count (16), the request's bytes 2…5.
            ModbusReplyKind.Data when response.AsSpan(2, 4).SequenceEqual(rtu.AsSpan(2, 4)) => new(RegisterWriteOutcome.Confirmed, ModbusException.None),
            ModbusReplyKind.Exception => new(RegisterWriteOutcome.Refused, reply.Exception),
            _ => new(RegisterWriteOutcome.NoAnswer, ModbusException.None),
        };
    }

    /// <summary>
    /// Reads registers between polls (one request in flight, the poll's path): their values, or null when the inverter
    /// did not answer in time or answered with an exception. Remote operations read a written setting back with it.
    /// </summary>
    public async Task<ushort[]?> ReadRegistersAsync(ushort start, int count, CancellationToken cancellationToken)
    {
        if (await ReadBlockAsync(start, count, cancellationToken) is not { } block)
        {
            return null;
        }
        var values = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(block.Span[(2 * i)..]);
        }
        return values;
    }

    /// <summary>Sends one Modbus request through the logger and waits for its response: one in flight, with a timeout.</summary>
    private async Task<byte[]?> ExchangeAsync(byte[] rtu, ushort start, CancellationToken cancellationToken)
    {
        await inFlight.WaitAsync(cancellationToken);
        try
        {
            var request = new PendingRequest(++sequence, new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
            pending = request;
            var frame = new byte[V5Format.Overhead + V5FrameWriter.RequestPrefixLength + rtu.Length];
            V5FrameWriter.WriteRequest(frame, request.Sequence, 0, LoggerSerial!.Value, rtu);
            await WriteAsync(frame, cancellationToken);
            var sent = time.GetTimestamp();
            try
            {
                var response = await request.Response.Task.WaitAsync(options.RequestTimeout, time, cancellationToken);
                metrics.Request(time.GetElapsedTime(sent), answered: true);
                return response;
            }
            catch (TimeoutException)
            {
                metrics.Request(time.GetElapsedTime(sent), answered: false);
                LogTimeout(logger, LoggerSerial.Value, start);
                return null;
            }
        }
        finally
        {
            pending = null;
            inFlight.Release();
        }
    }

    private async ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            await pipe.Output.WriteAsync(frame, cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }

    private sealed record PendingRequest(byte Sequence, TaskCompletionSource<byte[]> Response);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial} silent for {IdleTimeout}: connection closed")]
    private static partial void LogIdle(ILogger logger, uint loggerSerial, TimeSpan idleTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logger {LoggerSerial} sent more than {Limit} frames a minute: connection closed")]
    private static partial void LogFlood(ILogger logger, uint loggerSerial, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logger {LoggerSerial} sent {Bytes} bytes that are no frames: connection closed")]
    private static partial void LogGarbage(ILogger logger, uint loggerSerial, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Logger {LoggerSerial}: the inverter did not tell its serial number; asking again every poll until it does")]
    private static partial void LogUnidentified(ILogger logger, uint loggerSerial);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial}: no response for registers from 0x{Start:X4} in time")]
    private static partial void LogTimeout(ILogger logger, uint loggerSerial, ushort start);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial}: registers from 0x{Start:X4} answered {Kind} {Exception}")]
    private static partial void LogBadReply(ILogger logger, uint loggerSerial, ushort start, ModbusReplyKind kind, ModbusException exception);
}
