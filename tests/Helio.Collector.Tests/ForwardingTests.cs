using System.Text.Json;
using Helio.Collector.Forwarding;
using Helio.Collector.Sources;
using Helio.Collector.Tests.Fakes;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Tests;

/// <summary>Forwarding to the HTTP ingest API, against an in-test server that checks the contract.</summary>
public sealed class ForwardingTests
{
    private const uint LoggerSerial = 2_712_345_678;

    private static CollectedReading Reading(string serial, int second) =>
        new(serial, new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero).AddSeconds(second), new InverterReading());

    [Fact]
    public async Task PolledReadings_ReachTheServer_InTheContractsShape()
    {
        var inverter = TestInverters.AtNoon("SS1ES120P38069");
        inverter.RaiseFault(42);
        inverter.RaiseFault(5);
        inverter.Advance(TestInverters.Noon);
        await using var logger = new TestV5Logger((LoggerSerial, inverter));
        await using var server = await TestIngestServer.StartAsync();
        await using var collector = RunningCollector.Start(RunningCollector.Fast(server.Address, LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, LoggerSerial)));

        await Wait.Until(() => collector.Log.Any("forwarded 1 reading:"), "a reading forwarded");

        Assert.Empty(server.Violations);
        var reading = server.Stored.First();
        Assert.Equal("SS1ES120P38069", reading.GetProperty("serialNumber").GetString());
        Assert.Equal("fault", reading.GetProperty("state").GetString());
        Assert.Equal([5, 42], reading.GetProperty("faults").EnumerateArray().Select(f => f.GetInt32()));
        var values = reading.GetProperty("values");
        Assert.Equal(inverter.EnergyTodayKwh, values.GetProperty("energyTodayKwh").GetDouble(), tolerance: 0.01);
        Assert.True(values.TryGetProperty("activePowerW", out _));
        Assert.True(values.TryGetProperty("pvPowerW", out _));
        Assert.True(collector.Log.Any("forwarded 1 reading: 1 accepted, 0 duplicates, 0 refused"), collector.Log.ToString());
    }

    [Fact]
    public async Task ABacklog_IsSentInBatchesOfAtMost500_OldestFirst()
    {
        await using var server = await TestIngestServer.StartAsync();
        var options = RunningCollector.Fast(server.Address) with { Discovery = null };
        var buffer = new ReadingBuffer(options.BufferLimit);
        for (var i = 0; i < 1_200; i++)
        {
            buffer.Add(Reading("SS1ES2700000001", i));
        }

        await ForwardUntil(server, options, buffer, _ => server.Stored.Count == 1_200);

        Assert.Equal([500, 500, 200], server.BatchSizes);
        Assert.Equal("2026-11-30T10:00:00Z", server.Stored.First().GetProperty("timestamp").GetString());
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task ABusyServer_GetsTheBatchAgain_AfterItsRetryAfter()
    {
        await using var server = await TestIngestServer.StartAsync();
        server.ThenAnswer(503, retryAfter: TimeSpan.FromSeconds(1));
        server.ThenAnswer(429, retryAfter: TimeSpan.FromSeconds(0));
        var options = RunningCollector.Fast(server.Address);
        var buffer = new ReadingBuffer(options.BufferLimit);
        buffer.Add(Reading("SS1ES2700000001", 0));
        buffer.Add(Reading("SS1ES2700000002", 0));

        var log = await ForwardUntil(server, options, buffer, log => log.Any("forwarded 2 readings"));

        Assert.Equal(3, server.Requests);
        Assert.True(log.Any("2 readings not delivered: the server answered 503 Service Unavailable; 2 buffered, next try in 1 s"), log.ToString());
        Assert.True(log.Any("forwarded 2 readings (the server is reachable again): 2 accepted"), log.ToString());
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task AServerThatCannotBeReached_LeavesReadingsBuffered_UpToTheLimit_DroppingTheOldest()
    {
        await using var logger = new TestV5Logger((LoggerSerial, TestInverters.AtNoon("SS1ES120P38069")));
        var options = RunningCollector.Fast(new Uri("http://127.0.0.1:1"), LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, LoggerSerial))
            with { BufferLimit = 3, Interval = TimeSpan.FromMilliseconds(50) };
        await using var collector = RunningCollector.Start(options);

        await Wait.Until(() => collector.Log.Any("buffer full (3 readings): dropped the oldest"), "readings dropped");

        Assert.Equal(3, collector.Collector.Buffer.Count);
        Assert.True(collector.Log.Any("not delivered: Connection refused"), collector.Log.ToString());
        Assert.Equal(Collector.Stopped, await collector.StopAsync());
        Assert.True(collector.Log.Any("stopped with 3 readings not delivered"), collector.Log.ToString());
    }

    [Fact]
    public async Task ARefusedKey_StopsTheCollector_WithAClearError()
    {
        await using var logger = new TestV5Logger((LoggerSerial, TestInverters.AtNoon("SS1ES120P38069")));
        await using var server = await TestIngestServer.StartAsync();
        var options = RunningCollector.Fast(server.Address, LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, LoggerSerial)) with { IngestKey = "hik_revoked_key" };
        await using var collector = RunningCollector.Start(options);

        var exitCode = await collector.Run.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal(Collector.KeyRefused, exitCode);
        Assert.True(collector.Log.Any("error: the server refused the ingest key (401 Unauthorized)"), collector.Log.ToString());
        Assert.DoesNotContain("hik_revoked_key", collector.Log.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task RefusedReadings_AreLoggedWithTheReason_AndNotSentAgain()
    {
        await using var server = await TestIngestServer.StartAsync();
        var options = RunningCollector.Fast(server.Address);
        var buffer = new ReadingBuffer(options.BufferLimit);
        buffer.Add(Reading("REFUSE0001", 0));
        buffer.Add(Reading("SS1ES2700000001", 0));

        var log = await ForwardUntil(server, options, buffer, log => log.Any("refused (serialNumber)"));

        Assert.True(log.Any("reading REFUSE0001 at 2026-11-30 10:00:00Z refused (serialNumber): This inverter belongs to another plant."), log.ToString());
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task ABatchTheServerCannotRead_IsDropped_WithAnError_AndTheNextOnesGoOn()
    {
        await using var server = await TestIngestServer.StartAsync();
        server.ThenAnswer(400);
        var options = RunningCollector.Fast(server.Address) with { BatchSize = 2 };
        var buffer = new ReadingBuffer(options.BufferLimit);
        for (var i = 0; i < 4; i++)
        {
            buffer.Add(Reading("SS1ES2700000001", i));
        }

        var log = await ForwardUntil(server, options, buffer, log => log.Any("forwarded 2 readings"));

        Assert.True(log.Any("error: the server could not read 2 readings (no problem details); dropped."), log.ToString());
        Assert.Equal(["2026-11-30T10:00:02Z", "2026-11-30T10:00:03Z"], server.Stored.Select(r => r.GetProperty("timestamp").GetString()));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public async Task AServerWithASmallerBatchLimit_GetsSmallerBatches()
    {
        await using var server = await TestIngestServer.StartAsync();
        server.MaxReadings = 100;
        var options = RunningCollector.Fast(server.Address);
        var buffer = new ReadingBuffer(options.BufferLimit);
        for (var i = 0; i < 300; i++)
        {
            buffer.Add(Reading("SS1ES2700000001", i));
        }

        var log = await ForwardUntil(server, options, buffer, _ => server.Stored.Count == 300);

        Assert.All(server.BatchSizes, size => Assert.True(size <= 100));
        Assert.True(log.Any("the server finds 300 readings in one request too many; sending 150 at a time"), log.ToString());
    }

    [Fact]
    public void Values_AreRoundedToThreeDecimals_AndNamedCanonically()
    {
        var reading = new InverterReading { State = InverterState.OnGrid };
        reading.Set(Metric.EnergyTodayKwh, 1230 * 0.01);
        reading.Set(Metric.GridFrequencyHz, 50.0049999);

        var json = JsonSerializer.Serialize(IngestReading.From(new CollectedReading("SS1ES1", new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.FromHours(1)), reading)), IngestJson.Default.IngestReading);

        Assert.Equal("""{"serialNumber":"SS1ES1","timestamp":"2026-11-30T10:00:00Z","values":{"gridFrequencyHz":50.005,"energyTodayKwh":12.3},"state":"onGrid","faults":[]}""", json);
    }

    /// <summary>Runs a forwarder on <paramref name="buffer"/> until <paramref name="done"/> (given its output so far); returns its output.</summary>
    private static async Task<LogLines> ForwardUntil(TestIngestServer server, CollectorOptions options, ReadingBuffer buffer, Func<LogLines, bool> done)
    {
        var log = new LogLines();
        using var http = new HttpClient();
        var forwarder = new ReadingForwarder(new IngestClient(http, server.Address, options.IngestKey, TimeProvider.System), buffer, options, new CollectorLog(log, TimeProvider.System), TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = forwarder.RunAsync(stop.Token);
        await Wait.Until(() => done(log) || running.IsCompleted, "the readings delivered");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return log;
    }
}
