using Helio.Collector.Sources;
using Helio.Collector.Tests.Fakes;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Tests;

/// <summary>Polling an inverter behind a Modbus TCP gateway on a real loopback socket.</summary>
public sealed class ModbusTcpTests
{
    [Fact]
    public async Task ThePoller_ReadsTheInverterAtItsUnitId()
    {
        var inverter = TestInverters.AtNoon("SS1ES150P11111");
        await using var device = new TestModbusDevice((3, inverter), (4, TestInverters.AtNoon("SS1ES150P22222", 1)));
        await using var poller = new RunningPoller(LoggerSource.Modbus("127.0.0.1", device.EndPoint.Port, 3));

        await Wait.Until(() => poller.Readings.Count >= 2, "two readings");

        var first = poller.Readings.First();
        Assert.Equal("SS1ES150P11111", first.InverterSerial);
        Assert.Equal(inverter.ActivePowerW, first.Reading[Metric.ActivePowerW]!.Value, tolerance: 10.0);
        Assert.Equal(1, device.Connections);
    }

    [Fact]
    public async Task AUnitNobodyAnswersOn_IsReported_AndTriedAgain()
    {
        await using var device = new TestModbusDevice((3, TestInverters.AtNoon("SS1ES150P11111")));
        await using var poller = new RunningPoller(LoggerSource.Modbus("127.0.0.1", device.EndPoint.Port, 9));

        await Wait.Until(() => device.Connections >= 2, "another attempt");

        Assert.Empty(poller.Readings);
        Assert.True(poller.Log.Any("modbus 127.0.0.1:"), poller.Log.ToString());
        Assert.True(poller.Log.Any("the inverter did not tell its serial number: the inverter answered with Modbus exception 10"), poller.Log.ToString());
    }

    [Fact]
    public async Task AKtlxInverterNamedOnTheCommandLine_IsPolledWithoutReadingASerial()
    {
        // The simulated inverter has G3 registers: the KTL-X plan's low addresses answer "illegal data address",
        // which is reported per poll (and proves the KTL-X plan is what is read, under the given name).
        await using var device = new TestModbusDevice((1, TestInverters.AtNoon("SS1ES150P11111")));
        var source = LoggerSource.Modbus("127.0.0.1", device.EndPoint.Port, 1, "SF4ES005N1234");
        var options = RunningCollector.Fast(new Uri("http://127.0.0.1:1"), source) with { Map = RegisterMap.SofarKtlx };
        await using var poller = new RunningPoller(source, options);

        await Wait.Until(() => poller.Log.Any("registers 0x0000+"), "a KTL-X poll");

        Assert.True(poller.Log.Any("exception 2 (IllegalDataAddress); this reading is skipped"), poller.Log.ToString());
        Assert.Equal("SF4ES005N1234", poller.Poller.InverterSerial);
    }
}
