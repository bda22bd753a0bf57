using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Helio.Server.Features.Gateway;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, TestLoggers.Metrics, sink, new ConnectedLoggers());
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var loggers = Enumerable.Range(0, 3).Select(i => ConnectAsync(port, 2_712_345_600u + (uint)i, $"SS1ES120P3806{i}", stop.Token)).ToList();
        await TestLoggers.Until(() => sink.Readings.Select(r => r.LoggerSerial).Distinct().Count() == 3, "every logger's inverter is polled");
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
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, TestLoggers.Metrics, sink, connected);
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var first = ConnectAsync(port, 2_712_000_001, "SS1ES120P00001", stop.Token);
        await TestLoggers.Until(() => connected.Count == 1 && !sink.Readings.IsEmpty);
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
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, TestLoggers.Metrics, new CapturingSink(), new ConnectedLoggers());
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;

        using var first = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, port, Ct);
        await TestLoggers.Until(() => gateway.ActiveConnections == 1);
        using var second = new TcpClient();
        await second.ConnectAsync(IPAddress.Loopback, port, Ct);

        var read = await second.GetStream().ReadAsync(new byte[1], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, read); // closed by the server
        Assert.Equal(1, gateway.ActiveConnections);
        await gateway.StopAsync(Ct);
    }

    private static Task ConnectAsync(int port, uint serial, string inverterSerial, CancellationToken cancellationToken) =>
        TestLoggers.RunAsync(TestLoggers.AtNoon(serial, inverterSerial).Logger, port, cancellationToken);

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
