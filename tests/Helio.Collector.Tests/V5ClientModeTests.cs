using Helio.Collector.Sources;
using Helio.Collector.Tests.Fakes;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Tests;

/// <summary>Polling a Solarman logger in client mode (V5 over TCP) on a real loopback socket.</summary>
public sealed class V5ClientModeTests
{
    private const uint LoggerSerial = 2_712_345_678;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThePoller_IdentifiesTheInverter_AndReadsTheWholePlan_OnOneConnection(bool fieldQuirks)
    {
        var inverter = TestInverters.AtNoon("SS1ES120P38069");
        await using var logger = new TestV5Logger((LoggerSerial, inverter)) { DoubleCrc = fieldQuirks, InterleavedHeartbeat = fieldQuirks };
        await using (var poller = new RunningPoller(LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, LoggerSerial)))
        {
            await Wait.Until(() => poller.Readings.Count >= 2, "two readings");

            var first = poller.Readings.First();
            Assert.Equal("SS1ES120P38069", first.InverterSerial);
            Assert.Equal(InverterState.OnGrid, first.Reading.State);
            Assert.Equal(inverter.ActivePowerW, first.Reading[Metric.ActivePowerW]!.Value, tolerance: 10.0); // registers hold 10 W steps
            Assert.Equal(inverter.EnergyTodayKwh, first.Reading[Metric.EnergyTodayKwh]!.Value, tolerance: 0.01);
            Assert.True(first.Reading.Has(Metric.PvPowerW), "derived metrics are completed");
            Assert.Equal(0, first.At.Offset.Ticks);
            Assert.Equal(0, first.At.Ticks % TimeSpan.TicksPerSecond);
            Assert.True(poller.Log.Any("inverter SS1ES120P38069"), poller.Log.ToString());
        }
        Assert.Equal(1, logger.Connections);
        Assert.All(logger.SerialsSeen, serial => Assert.Equal(LoggerSerial, serial));
    }

    [Fact]
    public async Task ALoggerThatHangsUp_IsReconnected_AndPollingGoesOn()
    {
        await using var logger = new TestV5Logger((LoggerSerial, TestInverters.AtNoon("SS1ES120P38069")))
        {
            // Each connection lasts for the identification, one whole poll and one block of the next.
            CloseAfterAnswers = 1 + RegisterMap.SofarG3.Plan.Count + 1,
        };
        await using var poller = new RunningPoller(LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, LoggerSerial));

        await Wait.Until(() => poller.Readings.Count >= 3, "three readings over three connections");

        Assert.True(logger.Connections >= 3);
        Assert.True(poller.Log.Any("closed by the other side; trying again"), poller.Log.ToString());
        Assert.Equal(1, poller.Log.Lines.Count(l => l.Contains("inverter SS1ES120P38069", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AWrongLoggerSerial_GetsNoAnswer_AndIsRetriedAfterTheTimeout()
    {
        await using var logger = new TestV5Logger((LoggerSerial, TestInverters.AtNoon("SS1ES120P38069")));
        var source = LoggerSource.V5("127.0.0.1", logger.EndPoint.Port, 1_700_000_001);
        var options = RunningCollector.Fast(new Uri("http://127.0.0.1:1"), source) with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var poller = new RunningPoller(source, options);

        await Wait.Until(() => logger.Connections >= 2, "a new connection after the timeout");

        Assert.Empty(poller.Readings);
        Assert.True(poller.Log.Any("logger 1700000001 (127.0.0.1:"), poller.Log.ToString());
        Assert.True(poller.Log.Any("no answer for registers from 0x0445 within 0.3 s"), poller.Log.ToString());
    }

    [Fact]
    public async Task ALoggerThatIsNotThere_IsTriedAgain_WithoutEndingThePoller()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        await using var poller = new RunningPoller(LoggerSource.V5("127.0.0.1", port, LoggerSerial));

        await Wait.Until(() => poller.Log.Lines.Count(l => l.Contains("trying again", StringComparison.Ordinal)) >= 2, "two attempts");
    }
}
