using Helio.Collector.Tests.Fakes;
using Helio.Simulator.Loggers;

namespace Helio.Collector.Tests;

/// <summary>
/// End to end against the simulator's LAN loggers (the <c>serve</c> command's library): the collector, configured
/// through its command line, reads simulated loggers over V5 client mode, Modbus TCP and discovery on real loopback
/// sockets and forwards to the in-test ingest server.
/// </summary>
public sealed class SimulatorLanLoggersTests
{
    private static readonly LanLoggersOptions TwoLoggersAtNoon = new()
    {
        V5Port = 0,
        ModbusPort = 0,
        DiscoveryPort = 0,
        Count = 2,
        FirstSerial = 2_712_000_001,
        Seed = 5,
        // Noon in June: the inverters produce.
        Start = new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero),
        Quirks = LoggerQuirks.DoubleCrc | LoggerQuirks.InterleavedHeartbeat,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The command line as a user types it, with the test's short timings.</summary>
    private static CollectorOptions CommandLine(TestIngestServer server, params string[] sources)
    {
        var parsed = CollectorArguments.Parse(["--server", server.Address.ToString(), .. sources], name => name == CollectorArguments.KeyVariable ? TestIngestServer.Key : null);
        return RunningCollector.Fast(server.Address) with { Sources = parsed.Sources, Discovery = parsed.Discovery, DiscoveredV5Port = parsed.DiscoveredV5Port };
    }

    private static async Task UntilBothInvertersStored(TestIngestServer server, LanLoggers lan) =>
        await Wait.Until(
            () => lan.Loggers.All(l => server.Stored.Any(r => r.GetProperty("serialNumber").GetString() == l.InverterSerial)),
            "readings of both simulated inverters stored");

    [Fact]
    public async Task V5ClientMode_ReadsEverySimulatedLogger()
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon, Ct);
        await using var server = await TestIngestServer.StartAsync();
        var port = lan.V5EndPoint.Port;
        await using var collector = RunningCollector.Start(CommandLine(server, "--v5", $"127.0.0.1:{port}@2712000001", "--v5", $"127.0.0.1:{port}@2712000002"));

        await UntilBothInvertersStored(server, lan);

        Assert.Empty(server.Violations);
        var first = server.Stored.First(r => r.GetProperty("serialNumber").GetString() == lan.Loggers[0].InverterSerial);
        Assert.Equal("onGrid", first.GetProperty("state").GetString());
        Assert.True(first.GetProperty("values").GetProperty("activePowerW").GetDouble() > 0);
        Assert.True(collector.Log.Any($"logger 2712000001 (127.0.0.1:{port}): inverter {lan.Loggers[0].InverterSerial}"), collector.Log.ToString());
    }

    [Fact]
    public async Task ModbusTcp_ReadsEveryUnit()
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon, Ct);
        await using var server = await TestIngestServer.StartAsync();
        var port = lan.ModbusEndPoint!.Port;
        await using var collector = RunningCollector.Start(CommandLine(server, "--modbus", $"127.0.0.1:{port}/1", "--modbus", $"127.0.0.1:{port}/2"));

        await UntilBothInvertersStored(server, lan);

        Assert.Empty(server.Violations);
        Assert.True(collector.Log.Any($"modbus 127.0.0.1:{port}/2: inverter {lan.Loggers[1].InverterSerial}"), collector.Log.ToString());
    }

    [Fact]
    public async Task Discovery_OnANonDefaultPort_FindsEveryLogger_AndPollsItOverV5()
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon, Ct);
        await using var server = await TestIngestServer.StartAsync();
        await using var collector = RunningCollector.Start(CommandLine(server,
            "--discover-address", $"127.0.0.1:{lan.DiscoveryEndPoint!.Port}", "--discover-v5-port", $"{lan.V5EndPoint.Port}"));

        await UntilBothInvertersStored(server, lan);

        Assert.True(collector.Log.Any("found logger 2712000001 at 127.0.0.1"), collector.Log.ToString());
        Assert.True(collector.Log.Any("found logger 2712000002 at 127.0.0.1"), collector.Log.ToString());
    }

    [Fact]
    public async Task LoggersGoingOffline_AreReconnected_AndReadingsResume()
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon with { Count = 1 }, Ct);
        await using var server = await TestIngestServer.StartAsync();
        await using var collector = RunningCollector.Start(CommandLine(server, "--v5", $"127.0.0.1:{lan.V5EndPoint.Port}@2712000001"));
        await Wait.Until(() => !server.Stored.IsEmpty, "a first reading");

        lan.GoOffline(TimeSpan.FromSeconds(1));
        await Wait.Until(() => collector.Log.Any("trying again"), "the outage noticed");
        var before = server.Stored.Count;

        await Wait.Until(() => server.Stored.Count > before + 2, "readings after the outage");
    }

    [Fact]
    public async Task OneInverterGivenTwice_ThroughV5AndModbus_IsWarnedAbout()
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon, Ct);
        await using var server = await TestIngestServer.StartAsync();
        await using var collector = RunningCollector.Start(CommandLine(server,
            "--v5", $"127.0.0.1:{lan.V5EndPoint.Port}@2712000002", "--modbus", $"127.0.0.1:{lan.ModbusEndPoint!.Port}/2"));

        await Wait.Until(() => collector.Log.Any($"inverter {lan.Loggers[1].InverterSerial} is read through "), "the warning");
    }

    [Theory]
    [InlineData("v5")]
    [InlineData("modbus")]
    public async Task GarbledFrames_CostAReconnect_AndReadingsGoOn(string protocol)
    {
        await using var lan = await LanLoggers.StartAsync(TwoLoggersAtNoon with { Count = 1, GarbageRate = 0.05 }, Ct);
        await using var server = await TestIngestServer.StartAsync();
        var source = protocol == "v5" ? ["--v5", $"127.0.0.1:{lan.V5EndPoint.Port}@2712000001"] : new[] { "--modbus", $"127.0.0.1:{lan.ModbusEndPoint!.Port}/1" };
        var options = CommandLine(server, source) with { Interval = TimeSpan.FromMilliseconds(20), RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var collector = RunningCollector.Start(options);

        // Readings are stored once per second (the server's idempotency key); the collector's output shows every poll.
        var inverter = lan.Loggers[0].InverterSerial;
        // Uploads follow the polls asynchronously: wait for a stored reading too, not only for the collector's log.
        await Wait.Until(() => lan.GarbledFrames >= 3 && collector.Log.Lines.Count(l => l.Contains($"{inverter}: onGrid", StringComparison.Ordinal)) >= 10
            && server.Stored.Count > 0, "readings despite garbage");

        Assert.Empty(server.Violations);
        Assert.NotEmpty(server.Stored);
        Assert.All(server.Stored, r => Assert.Equal("onGrid", r.GetProperty("state").GetString()));
    }
}
