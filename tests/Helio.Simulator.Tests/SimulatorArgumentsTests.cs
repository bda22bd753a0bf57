using System.Net;
using Helio.Protocols.Discovery;

namespace Helio.Simulator.Tests;

public sealed class SimulatorArgumentsTests
{
    [Fact]
    public void Push_WithEveryOption()
    {
        var parsed = SimulatorArguments.Parse(["push", "--server", "helio.example:10000", "--count", "20", "--first-serial", "2712345678", "--interval", "30", "--seed", "9", "--speed", "120", "--fault", "42@60", "--offline", "30@90", "--garbage", "0.05", "--derate", "0.4", "--start", "2026-06-21T10:00:00Z"]);

        Assert.Equal(("helio.example", 10000), parsed.Server);
        Assert.Equal(20, parsed.Count);
        Assert.Equal(2_712_345_678u, parsed.FirstSerial);
        Assert.Equal(TimeSpan.FromSeconds(30), parsed.Interval);
        Assert.Equal(9, parsed.Seed);
        Assert.Equal(120, parsed.Speed);
        Assert.Equal((42, TimeSpan.FromSeconds(60)), parsed.Fault);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)), parsed.Offline);
        Assert.Equal(0.05, parsed.Garbage);
        Assert.Equal(0.4, parsed.Derate);
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 10, 0, 0, TimeSpan.Zero), parsed.Start);
    }

    [Fact]
    public void Serve_WithEveryOption_AndItsDefaults()
    {
        var parsed = SimulatorArguments.Parse(["serve", "--v5-port", "8899", "--modbus-port", "502", "--discovery-port", "off", "--bind", "192.168.1.20", "--count", "247", "--offline", "5@10"]);
        var defaults = SimulatorArguments.Parse(["serve", "--v5-port", "0"]);

        Assert.Equal((8899, 502, null), (parsed.V5Port, parsed.ModbusPort, parsed.DiscoveryPort));
        Assert.Equal(IPAddress.Parse("192.168.1.20"), parsed.Bind);
        Assert.Equal(247, parsed.Count);
        Assert.Equal((0, null, LoggerDiscovery.Port), (defaults.V5Port, defaults.ModbusPort, defaults.DiscoveryPort));
        Assert.Equal(IPAddress.Any, defaults.Bind);
    }

    [Theory]
    [InlineData(new[] { "listen" }, "command")]
    [InlineData(new[] { "push" }, "--server")]
    [InlineData(new[] { "push", "--server", "localhost" }, "--server")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--count", "0" }, "--count")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--first-serial", "123" }, "--first-serial")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--first-serial", "4294967295", "--count", "2" }, "--first-serial")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--fault", "42" }, "--fault")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--speed", "0.5" }, "--speed")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--colour", "red" }, "--colour")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--count" }, "--count")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--offline", "30" }, "--offline")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--offline", "0@30" }, "--offline")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--offline", "30@x" }, "--offline")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--garbage", "1.5" }, "--garbage")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--garbage", "5%" }, "--garbage")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--start", "noon" }, "--start")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--derate", "0" }, "--derate")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--derate", "1.2" }, "--derate")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--v5-port", "8899" }, "--v5-port")]
    [InlineData(new[] { "serve" }, "--v5-port")]
    [InlineData(new[] { "serve", "--v5-port", "65536" }, "--v5-port")]
    [InlineData(new[] { "serve", "--v5-port", "8899", "--server", "localhost:10000" }, "--server")]
    [InlineData(new[] { "serve", "--v5-port", "8899", "--modbus-port", "502", "--count", "248" }, "--modbus-port")]
    [InlineData(new[] { "serve", "--v5-port", "8899", "--discovery-port", "on" }, "--discovery-port")]
    [InlineData(new[] { "serve", "--v5-port", "8899", "--bind", "localhost" }, "--bind")]
    public void BadArguments_AreRefused_NamingTheOption(string[] args, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorArguments.Parse(args));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeed_BuildsTheSameFleet()
    {
        var args = SimulatorArguments.Parse(["push", "--server", "localhost:10000", "--seed", "3"]);

        var a = PushCommand.Create(args, 4, TimeProvider.System);
        var b = PushCommand.Create(args, 4, TimeProvider.System);
        var served = Fleet.Create(3, args.FirstSerial, 4);

        Assert.Equal(a.Inverter.Plant, b.Inverter.Plant);
        Assert.Equal(a.Inverter.Plant, served.Inverter.Plant);
        Assert.Equal(2_700_000_005u, a.Serial);
        Assert.Equal("SS1ES2700000005", a.Inverter.SerialNumber);
    }

    [Fact]
    public void TheSameSeed_BuildsTheSameFleet_InEveryProcess()
    {
        // Fixed values: a per-process hash (HashCode) in the seeding would move the plants on every run.
        var plant = Fleet.Create(1, 2_700_000_001, 0).Inverter.Plant;

        Assert.Equal((47.7233, 2.8793, 13.3), (Math.Round(plant.Latitude, 4), Math.Round(plant.Longitude, 4), plant.CapacityKwp));
    }
}
