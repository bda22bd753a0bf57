using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Helio.Server.Features.Gateway;
using Helio.Simulator.Inverters;
using Helio.Simulator.Loggers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Helio.Server.Tests.Gateway;

/// <summary>The gateway's TCP listener, with simulated loggers connecting over real sockets.</summary>
public sealed class GatewayListenerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoggersConnectOverTcp_AndTheirInvertersArePolled()
    {
        var sink = new CapturingSink();
        var options = Options.Create(new GatewayOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(200) });
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, sink, new ConnectedLoggers());
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var loggers = Enumerable.Range(0, 3).Select(i => ConnectAsync(port, 2_712_345_600u + (uint)i, $"SS1ES120P3806{i}", stop.Token)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (sink.Readings.Select(r => r.LoggerSerial).Distinct().Count() < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "every logger's inverter is polled");
            await Task.Delay(50, Ct);
        }
        await stop.CancelAsync();
        await gateway.StopAsync(Ct);

        Assert.Equal(
            ["SS1ES120P38060", "SS1ES120P38061", "SS1ES120P38062"],
            sink.Readings.Select(r => r.InverterSerial).Distinct().Order());
    }

    [Fact]
    public async Task ALoggerConnectingAgain_ReplacesItsOldConnection()
    {
        var sink = new CapturingSink();
        var connected = new ConnectedLoggers();
        var options = Options.Create(new GatewayOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(200) });
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, sink, connected);
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var first = ConnectAsync(port, 2_712_000_001, "SS1ES120P00001", stop.Token);
        await Until(() => connected.Count == 1 && !sink.Readings.IsEmpty);
        var second = ConnectAsync(port, 2_712_000_001, "SS1ES120P00001", stop.Token);

        Assert.Same(first, await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(15), Ct))); // the server closed the old one
        Assert.False(second.IsCompleted);
        Assert.Equal(1, connected.Count);
        await stop.CancelAsync();
        await gateway.StopAsync(Ct);
    }

    [Fact]
    public async Task BeyondMaxConnections_NewConnectionsAreClosed()
    {
        var options = Options.Create(new GatewayOptions { Port = 0, MaxConnections = 1 });
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, new CapturingSink(), new ConnectedLoggers());
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;

        using var first = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, port, Ct);
        await Until(() => gateway.ActiveConnections == 1);
        using var second = new TcpClient();
        await second.ConnectAsync(IPAddress.Loopback, port, Ct);

        var read = await second.GetStream().ReadAsync(new byte[1], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, read); // closed by the server
        Assert.Equal(1, gateway.ActiveConnections);
        await gateway.StopAsync(Ct);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task ConnectAsync(int port, uint serial, string inverterSerial, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        var noon = new FakeTimeProvider(new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero));
        var inverter = new SimulatedInverter(inverterSerial, new SimulatedPlant(48.14, 11.58, TimeZoneInfo.Utc, 10), seed: serial, index: 0);
        var logger = new SimulatedLogger(serial, inverter, noon);
        try
        {
            await logger.RunAsync(new StreamPipe(PipeReader.Create(stream), PipeWriter.Create(stream)), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class CapturingSink : IReadingSink
    {
        public ConcurrentQueue<PolledReading> Readings { get; } = new();

        public ValueTask AcceptAsync(PolledReading reading, CancellationToken cancellationToken)
        {
            Readings.Enqueue(reading);
            return ValueTask.CompletedTask;
        }
    }
}
