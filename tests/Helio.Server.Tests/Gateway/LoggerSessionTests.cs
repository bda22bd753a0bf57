using System.Collections.Concurrent;
using System.IO.Pipelines;
using Helio.Protocols.RegisterMaps;
using Helio.Protocols.SolarmanV5;
using Helio.Server.Features.Gateway;
using Helio.Simulator.Loggers;
using Microsoft.Extensions.Logging.Abstractions;

using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Gateway;

/// <summary>The gateway's conversation with one logger, against a simulated logger over an in-memory connection.</summary>
public sealed class LoggerSessionTests
{
    private const uint LoggerSerial = 2_712_345_678;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly GatewayOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(5),
        IdleTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(LoggerQuirks.None)]
    [InlineData(LoggerQuirks.DoubleCrc | LoggerQuirks.InterleavedHeartbeat)]
    public async Task ItAnswersPushes_IdentifiesTheInverter_AndPollsItRepeatedly(LoggerQuirks quirks)
    {
        var (logger, inverter) = TestLoggers.AtNoon(LoggerSerial, "SS1ES120P38069");
        logger.Quirks = quirks;
        var readings = new ConcurrentQueue<PolledReading>();
        await using var link = new Link();
        var session = new LoggerSession(link.Server, Fast, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (r, _) => { readings.Enqueue(r); return ValueTask.CompletedTask; });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var running = Task.WhenAll(session.RunAsync(stop.Token), logger.RunAsync(link.Logger, stop.Token));
        await Eventually.True(() => readings.Count >= 2);
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(LoggerSerial, session.LoggerSerial);
        Assert.Equal("SS1ES120P38069", session.InverterSerial);
        Assert.True(logger.TimeReplies >= 1, "the handshake (and any heartbeat) is answered with the time");
        var first = readings.First();
        Assert.Equal("SS1ES120P38069", first.InverterSerial);
        Assert.Equal(InverterState.OnGrid, first.Reading.State);
        Assert.Equal(inverter.ActivePowerW, first.Reading[Metric.ActivePowerW]!.Value, tolerance: 10.0); // registers hold 10 W steps
        Assert.True(first.Reading.Has(Metric.EnergyTotalKwh));
    }

    [Fact]
    public async Task AnInverterThatDoesNotAnswerAtFirst_IsIdentifiedLater_InTheSameSession()
    {
        var (logger, _) = TestLoggers.AtNoon(LoggerSerial, "SS1ES120P38069");
        var readings = new ConcurrentQueue<PolledReading>();
        await using var link = new Link();
        var options = new GatewayOptions { PollInterval = TimeSpan.FromMilliseconds(100), RequestTimeout = TimeSpan.FromMilliseconds(200), IdleTimeout = TimeSpan.FromSeconds(10) };
        var session = new LoggerSession(link.Server, options, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (r, _) => { readings.Enqueue(r); return ValueTask.CompletedTask; });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = session.RunAsync(stop.Token);

        // First the logger says hello but the inverter behind it stays silent: its serial-number requests go unanswered.
        var hello = new byte[V5Format.Overhead + 1];
        V5FrameWriter.Write(hello, V5ControlCode.Heartbeat, 1, 1, LoggerSerial, [0]);
        await link.Logger.Output.WriteAsync(hello, Ct);
        using (var silence = new CancellationTokenSource(TimeSpan.FromMilliseconds(800)))
        {
            var unanswered = 0;
            try
            {
                while (true)
                {
                    var result = await link.Logger.Input.ReadAsync(silence.Token);
                    var buffer = result.Buffer;
                    while (V5FrameReader.TryRead(ref buffer, out var frame, out _))
                    {
                        unanswered += frame.Code == V5ControlCode.Request ? 1 : 0;
                    }
                    link.Logger.Input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested)
            {
            }
            Assert.True(unanswered >= 2, $"the serial number is asked for again (asked {unanswered} times)");
        }
        Assert.Null(session.InverterSerial);

        // Then it answers, on the same connection.
        var answering = logger.RunAsync(link.Logger, stop.Token);
        await Eventually.True(() => !readings.IsEmpty);
        await stop.CancelAsync();
        await Task.WhenAll(running, answering).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal("SS1ES120P38069", session.InverterSerial);
    }

    [Fact]
    public async Task GarbageBetweenFrames_IsSkipped_AndTheConversationGoesOn()
    {
        var (logger, _) = TestLoggers.AtNoon(LoggerSerial, "SS1ES120P38069");
        var readings = new ConcurrentQueue<PolledReading>();
        await using var link = new Link();
        var session = new LoggerSession(link.Server, Fast, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (r, _) => { readings.Enqueue(r); return ValueTask.CompletedTask; });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await link.Logger.Output.WriteAsync(new byte[] { 0x00, 0xA5, 0x01, 0x15, 0x42 }, Ct);
        var running = Task.WhenAll(session.RunAsync(stop.Token), logger.RunAsync(link.Logger, stop.Token));
        await Eventually.True(() => readings.Count >= 1);
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(5, session.SkippedBytes);
    }

    [Fact]
    public async Task ASilentLogger_IsDroppedAfterTheIdleTimeout()
    {
        await using var link = new Link();
        var options = new GatewayOptions { PollInterval = Fast.PollInterval, RequestTimeout = TimeSpan.FromMilliseconds(200), IdleTimeout = TimeSpan.FromMilliseconds(500) };
        var session = new LoggerSession(link.Server, options, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (_, _) => ValueTask.CompletedTask);
        var handshake = new byte[V5Format.Overhead + 1];
        V5FrameWriter.Write(handshake, V5ControlCode.Handshake, 1, 1, LoggerSerial, [0x02]);
        await link.Logger.Output.WriteAsync(handshake, Ct);

        var ended = session.RunAsync(Ct);

        Assert.Same(ended, await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(10), Ct)));
        Assert.Null(session.InverterSerial); // its request timed out: nothing answered
    }

    [Fact]
    public async Task RegisterWrites_AreConfirmedByTheEcho_OrRefused()
    {
        var (logger, inverter) = TestLoggers.AtNoon(LoggerSerial, "SS1ES120P38069");
        await using var link = new Link();
        var session = new LoggerSession(link.Server, Fast, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (_, _) => ValueTask.CompletedTask);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = Task.WhenAll(session.RunAsync(stop.Token), logger.RunAsync(link.Logger, stop.Token));
        await Eventually.True(() => session.InverterSerial is not null);

        var exportLimit = await session.WriteRegistersAsync(0x1023, [1, 50], Ct);
        var single = await session.WriteRegistersAsync(0x104D, [30], Ct);
        var readOnly = await session.WriteRegistersAsync(0x0485, [1], Ct);
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Equal(RegisterWriteOutcome.Confirmed, exportLimit.Outcome);
        Assert.Equal((1, 50), (inverter.Bank[0x1023], inverter.Bank[0x1024]));
        Assert.Equal(RegisterWriteOutcome.Confirmed, single.Outcome);
        Assert.Equal(30, inverter.Bank[0x104D]);
        Assert.Equal(new RegisterWrite(RegisterWriteOutcome.Refused, Helio.Protocols.Modbus.ModbusException.IllegalDataAddress), readOnly);
    }

    [Fact]
    public async Task AFlood_OrAStreamOfGarbage_ClosesTheConnection()
    {
        var options = new GatewayOptions { MaxFramesPerMinute = 50, MaxGarbageBytes = 4096, IdleTimeout = TimeSpan.FromSeconds(30) };
        var heartbeat = new byte[V5Format.Overhead + 1];
        V5FrameWriter.Write(heartbeat, V5ControlCode.Heartbeat, 1, 1, LoggerSerial, [0x00]);
        var garbage = new byte[8192]; // no start byte in it

        foreach (var stream in new[] { Enumerable.Repeat(heartbeat, 200).SelectMany(f => f).ToArray(), garbage })
        {
            await using var link = new Link();
            var session = new LoggerSession(link.Server, options, TimeProvider.System, NullLogger.Instance, TestLoggers.Metrics, (_, _) => ValueTask.CompletedTask);
            await link.Logger.Output.WriteAsync(stream, Ct);

            var ended = session.RunAsync(Ct);

            Assert.Same(ended, await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(10), Ct)));
        }
    }

    /// <summary>Two ends of an in-memory connection: what one writes, the other reads.</summary>
    private sealed class Link : IAsyncDisposable
    {
        private readonly Pipe toServer = new();
        private readonly Pipe toLogger = new();

        public Link()
        {
            Server = new End(toServer.Reader, toLogger.Writer);
            Logger = new End(toLogger.Reader, toServer.Writer);
        }

        public IDuplexPipe Server { get; }

        public IDuplexPipe Logger { get; }

        public async ValueTask DisposeAsync()
        {
            await toServer.Writer.CompleteAsync();
            await toLogger.Writer.CompleteAsync();
        }

        private sealed record End(PipeReader Input, PipeWriter Output) : IDuplexPipe;
    }
}
