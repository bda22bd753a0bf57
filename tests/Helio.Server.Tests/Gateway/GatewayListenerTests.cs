using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Helio.Protocols.SolarmanV5;
using Helio.Server.Features.Gateway;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Helio.Server.Tests.Infrastructure;

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
        await Eventually.True(() => sink.Readings.Select(r => r.LoggerSerial).Distinct().Count() == 3, "every logger's inverter is polled");
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
        await Eventually.True(() => connected.Count == 1 && !sink.Readings.IsEmpty);
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
        await Eventually.True(() => gateway.ActiveConnections == 1);
        using var second = new TcpClient();
        await second.ConnectAsync(IPAddress.Loopback, port, Ct);

        var read = await second.GetStream().ReadAsync(new byte[1], Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, read); // closed by the server
        Assert.Equal(1, gateway.ActiveConnections);
        await gateway.StopAsync(Ct);
    }

    [Fact]
    public async Task HostileConnections_AreCutOffAndCounted_WhileAnHonestLoggerKeepsBeingPolled()
    {
        var sink = new CapturingSink();
        var metrics = new GatewayMetrics(new Meter("Helio.Gateway.HostileTest"));
        var counted = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Helio.Gateway.HostileTest")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var reason = tags.ToArray().Where(t => t.Key == "reason").Select(t => ":" + t.Value).FirstOrDefault();
            counted.AddOrUpdate(instrument.Name + reason, value, (_, total) => total + value);
        });
        listener.Start();
        var options = Options.Create(new GatewayOptions
        {
            Port = 0, PollInterval = TimeSpan.FromMilliseconds(100), MaxGarbageBytes = 16 * 1024, MaxFramesPerMinute = 100, IdleTimeout = TimeSpan.FromSeconds(2),
        });
        using var gateway = new GatewayListener(options, NullLoggerFactory.Instance, TimeProvider.System, metrics, sink, new ConnectedLoggers());
        await gateway.StartAsync(Ct);
        var port = ((IPEndPoint)await gateway.BoundEndPoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _ = ConnectAsync(port, 2_712_999_001, "SS1ES120P99001", stop.Token);
        await Eventually.True(() => !sink.Readings.IsEmpty, "the honest logger is polled");

        var heartbeat = new byte[V5Format.Overhead + 1];
        V5FrameWriter.Write(heartbeat, V5ControlCode.Heartbeat, 1, 1, 2_712_999_002, [0x00]);
        var stalled = new byte[] { V5Format.Start, 0x00, 0x08, 0x10, 0x47 }; // declares a 2 KiB frame, then says nothing
        var garbage = new byte[64 * 1024];
        new Random(3).NextBytes(garbage);
        var attackers = new[] { garbage, Enumerable.Repeat(heartbeat, 500).SelectMany(f => f).ToArray(), stalled }
            .Select(bytes => AttackAsync(port, bytes)).ToList();
        var before = sink.Readings.Count;
        var closedByServer = await Task.WhenAll(attackers).WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var during = sink.Readings.Count - before;
        await stop.CancelAsync();
        await gateway.StopAsync(Ct);

        Assert.All(closedByServer, Assert.True);
        var seen = string.Join(", ", counted.Select(c => $"{c.Key}={c.Value}"));
        Assert.True(during >= 5, $"the honest logger was polled {during} times while under attack");
        Assert.True(counted.GetValueOrDefault("helio.gateway.bad_frames") > 0, "bad frames are counted");
        Assert.True(counted.GetValueOrDefault("helio.gateway.disconnects:garbage") == 1, seen);
        Assert.True(counted.GetValueOrDefault("helio.gateway.disconnects:flood") == 1, seen);
        Assert.True(counted.GetValueOrDefault("helio.gateway.disconnects:idle") == 1, seen);
    }

    /// <summary>Sends the bytes and reports whether the server then closed the connection (rather than the test giving up).</summary>
    private static async Task<bool> AttackAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes, Ct);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, Ct) > 0)
            {
                // Time replies to the flood's heartbeats, until the server hangs up.
            }
            return true;
        }
        catch (IOException)
        {
            return true; // reset by the server while still writing
        }
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
