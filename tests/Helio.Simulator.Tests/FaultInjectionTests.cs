using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Helio.Protocols.Discovery;
using Helio.Protocols.SolarmanV5;
using Helio.Simulator.Faults;
using Helio.Simulator.Loggers;
using Helio.Simulator.Tests.Clients;

namespace Helio.Simulator.Tests;

/// <summary>Going offline and sending garbage on purpose, in serve and push, over loopback TCP and UDP.</summary>
public sealed class FaultInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_Garbage_ReplacesAboutTheRateOfResponses_AndTheRestStillRead()
    {
        const int Requests = 60;
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { GarbageRate = 0.3, Seed = 5, Start = V5ClientModeTests.Noon }, Ct);
        using var client = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var serial = lan.Loggers[0].LoggerSerial;

        // All requests at once, then everything that comes back through Helio's own resynchronising reader.
        var request = new byte[V5Format.Overhead + V5FrameWriter.RequestPrefixLength + 8];
        var rtu = new byte[8];
        Helio.Protocols.Modbus.ModbusRtu.WriteReadRequest(rtu, 1, Helio.Protocols.Modbus.ModbusFunction.ReadHoldingRegisters, 0x0404, 1);
        for (var i = 0; i < Requests; i++)
        {
            V5FrameWriter.WriteRequest(request, (byte)i, 0, serial, rtu);
            await client.Stream.WriteAsync(request, Ct);
        }
        var received = await ReadUntilQuietAsync(client.Stream, TimeSpan.FromMilliseconds(500));
        var buffer = new ReadOnlySequence<byte>(received);
        var answered = new List<byte>();
        long skipped = 0;
        while (true)
        {
            var found = V5FrameReader.TryRead(ref buffer, out var frame, out var garbage);
            skipped += garbage;
            if (!found)
            {
                break;
            }
            answered.Add(frame.SequenceA);
        }

        Assert.InRange(lan.GarbledFrames, 8, 30);
        Assert.Equal(Requests - lan.GarbledFrames, answered.Count);
        Assert.True(skipped > 0);
        Assert.Equal(answered.Order(), answered); // in order, none twice
    }

    [Fact]
    public async Task Serve_Offline_DropsConnections_ClosesNewOnes_IgnoresDiscovery_ThenComesBack()
    {
        await using var lan = await LanLoggers.StartAsync(new LanLoggersOptions { DiscoveryPort = 0, Start = V5ClientModeTests.Noon }, Ct);
        var serial = lan.Loggers[0].LoggerSerial;
        using var before = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        Assert.NotNull(await before.ReadAsync(serial, 0x0404, 1));
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var clock = Stopwatch.StartNew();

        lan.GoOffline(TimeSpan.FromMilliseconds(800));
        var dropped = await before.Stream.ReadAsync(new byte[16], Ct);
        using var during = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var refused = await during.ReadAsync(serial, 0x0404, 1, TimeSpan.FromSeconds(1));
        await udp.SendAsync(LoggerDiscovery.Requests[0], lan.DiscoveryEndPoint!, Ct);
        var silent = await DiscoveryTests.ReceiveAsync(udp, 1, TimeSpan.FromMilliseconds(200));
        var wasOffline = lan.IsOffline;
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(800), "the checks ran during the outage");

        await Task.Delay(TimeSpan.FromMilliseconds(900) - clock.Elapsed, Ct);
        using var after = await V5TestClient.ConnectAsync(lan.V5EndPoint);
        var back = await after.ReadAsync(serial, 0x0404, 1);

        Assert.Equal(0, dropped);
        Assert.Null(refused);
        Assert.Empty(silent);
        Assert.True(wasOffline);
        Assert.False(lan.IsOffline);
        Assert.NotNull(back);
        Assert.Null(back.PysolarmanV5Problem());
    }

    [Fact]
    public async Task Push_Offline_DropsTheConnection_AndReconnectsWhenTheOutageEnds()
    {
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        gateway.Start();
        var port = ((IPEndPoint)gateway.LocalEndpoint).Port;
        var logger = PushCommand.Create(SimulatorArguments.Parse(["push", "--server", $"127.0.0.1:{port}"]), 0, TimeProvider.System);
        var outage = new Outage();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = logger.KeepConnectedAsync("127.0.0.1", port, TimeSpan.FromSeconds(30), outage, null, stop.Token);

        using var first = await gateway.AcceptTcpClientAsync(Ct);
        var handshake = await ReadFrameAsync(first.GetStream());
        var clock = Stopwatch.StartNew();
        outage.Begin(TimeSpan.FromMilliseconds(500));
        var dropped = await first.GetStream().ReadAsync(new byte[64], Ct);
        using var second = await gateway.AcceptTcpClientAsync(Ct);
        var reconnectedAfter = clock.Elapsed;
        var again = await ReadFrameAsync(second.GetStream());
        await stop.CancelAsync();
        await running;

        Assert.Equal(V5ControlCode.Handshake, handshake);
        Assert.Equal(0, dropped);
        Assert.InRange(reconnectedAfter, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5)); // not the 30 s retry
        Assert.Equal(V5ControlCode.Handshake, again);
    }

    [Fact]
    public async Task Push_Garbage_AtRateOne_SendsNoWholeFrame()
    {
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        gateway.Start();
        var port = ((IPEndPoint)gateway.LocalEndpoint).Port;
        var logger = PushCommand.Create(SimulatorArguments.Parse(["push", "--server", $"127.0.0.1:{port}", "--garbage", "1", "--interval", "1"]), 0, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = logger.KeepConnectedAsync("127.0.0.1", port, TimeSpan.FromSeconds(30), null, null, stop.Token);

        using var connection = await gateway.AcceptTcpClientAsync(Ct);
        var received = await ReadUntilQuietAsync(connection.GetStream(), TimeSpan.FromMilliseconds(1500), atMost: TimeSpan.FromMilliseconds(1500));
        await stop.CancelAsync();
        await running;
        var buffer = new ReadOnlySequence<byte>(received);

        Assert.NotEmpty(received); // the handshake and a heartbeat, garbled
        Assert.False(V5FrameReader.TryRead(ref buffer, out _, out _));
        Assert.True(logger.Garbage!.Garbled >= 2);
    }

    /// <summary>The code of the first V5 frame on the stream.</summary>
    private static async Task<V5ControlCode> ReadFrameAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var chunk = new byte[2048];
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            if (V5FrameReader.TryRead(ref buffer, out var frame, out _))
            {
                return frame.Code;
            }
            var read = await stream.ReadAsync(chunk, Ct);
            Assert.True(read > 0, "connection closed before a frame");
            received.AddRange(chunk[..read]);
        }
    }

    /// <summary>What arrives until nothing has for <paramref name="quiet"/>, or <paramref name="atMost"/> has passed.</summary>
    private static async Task<byte[]> ReadUntilQuietAsync(NetworkStream stream, TimeSpan quiet, TimeSpan? atMost = null)
    {
        var received = new MemoryStream();
        var chunk = new byte[4096];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var left = (atMost ?? TimeSpan.FromSeconds(10)) - clock.Elapsed;
            wait.CancelAfter(left < quiet ? left < TimeSpan.Zero ? TimeSpan.Zero : left : quiet);
            try
            {
                var read = await stream.ReadAsync(chunk, wait.Token);
                if (read == 0)
                {
                    return received.ToArray();
                }
                received.Write(chunk, 0, read);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                return received.ToArray();
            }
        }
    }
}
