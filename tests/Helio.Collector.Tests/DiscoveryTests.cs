using System.Net;
using Helio.Collector.Discovery;
using Helio.Collector.Tests.Fakes;

namespace Helio.Collector.Tests;

/// <summary>Finding loggers by the UDP discovery request, on a loopback port instead of the broadcast.</summary>
public sealed class DiscoveryTests
{
    [Fact]
    public async Task Replies_AreCollectedOncePerLogger_AndNoiseIsIgnored()
    {
        await using var loggers = new TestDiscoveryResponder("127.0.0.1,ACCF23A1B2C3,2712345678", "10.0.0.7,accf23a1b2c4,1712345678", "not a logger");

        var found = await LoggerFinder.FindAsync(loggers.EndPoint, TimeSpan.FromMilliseconds(500), 64, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(2, loggers.Requests); // both request texts
        Assert.Equal(
            [(IPAddress.Loopback, "ACCF23A1B2C3", 2_712_345_678u), (IPAddress.Parse("10.0.0.7"), "ACCF23A1B2C4", 1_712_345_678u)],
            found.OrderByDescending(l => l.Serial).Select(l => (l.Address, l.Mac, l.Serial)));
    }

    [Fact]
    public async Task FoundLoggers_ArePolledOverV5_AndTheirReadingsForwarded()
    {
        await using var logger = new TestV5Logger((2_712_345_678, TestInverters.AtNoon("SS1ES120P38069")), (2_712_345_679, TestInverters.AtNoon("SS1ES120P38070", 1)));
        await using var discovery = new TestDiscoveryResponder("127.0.0.1,ACCF23A1B2C3,2712345678", "127.0.0.1,ACCF23A1B2C4,2712345679");
        await using var server = await TestIngestServer.StartAsync();
        var options = RunningCollector.Fast(server.Address) with { Discovery = discovery.EndPoint, DiscoveredV5Port = logger.EndPoint.Port };
        await using var collector = RunningCollector.Start(options);

        await Wait.Until(
            () => server.Stored.Select(r => r.GetProperty("serialNumber").GetString()).Distinct().Count() == 2,
            "readings of both inverters stored");
        await Wait.Until(() => discovery.Requests >= 4, "a second discovery round");

        Assert.True(collector.Log.Any("found logger 2712345678 at 127.0.0.1 (MAC ACCF23A1B2C3)"), collector.Log.ToString());
        Assert.Equal(1, collector.Log.Lines.Count(l => l.Contains("found logger 2712345678", StringComparison.Ordinal)));
        Assert.Equal(2, logger.Connections);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task ALoggerGivenOnTheCommandLine_IsNotPolledTwice()
    {
        await using var logger = new TestV5Logger((2_712_345_678, TestInverters.AtNoon("SS1ES120P38069")));
        await using var discovery = new TestDiscoveryResponder("127.0.0.1,ACCF23A1B2C3,2712345678");
        await using var server = await TestIngestServer.StartAsync();
        var options = RunningCollector.Fast(server.Address, Sources.LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, 2_712_345_678))
            with { Discovery = discovery.EndPoint, DiscoveredV5Port = logger.EndPoint.Port };
        await using var collector = RunningCollector.Start(options);

        await Wait.Until(() => collector.Log.Any("1 logger(s) answered") && !server.Stored.IsEmpty, "discovery and a reading");

        Assert.False(collector.Log.Any("found logger"), collector.Log.ToString());
        Assert.Equal(1, logger.Connections);
    }
}
