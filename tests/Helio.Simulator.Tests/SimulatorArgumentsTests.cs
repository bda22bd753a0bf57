namespace Helio.Simulator.Tests;

public sealed class SimulatorArgumentsTests
{
    [Fact]
    public void Push_WithEveryOption()
    {
        var parsed = SimulatorArguments.Parse(["push", "--server", "helio.example:10000", "--count", "20", "--first-serial", "2712345678", "--interval", "30", "--seed", "9", "--speed", "120", "--fault", "42@60"]);

        Assert.Equal(("helio.example", 10000), parsed.Server);
        Assert.Equal(20, parsed.Count);
        Assert.Equal(2_712_345_678u, parsed.FirstSerial);
        Assert.Equal(TimeSpan.FromSeconds(30), parsed.Interval);
        Assert.Equal(9, parsed.Seed);
        Assert.Equal(120, parsed.Speed);
        Assert.Equal((42, TimeSpan.FromSeconds(60)), parsed.Fault);
    }

    [Theory]
    [InlineData(new[] { "serve" }, "command")]
    [InlineData(new[] { "push" }, "--server")]
    [InlineData(new[] { "push", "--server", "localhost" }, "--server")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--count", "0" }, "--count")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--first-serial", "123" }, "--first-serial")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--fault", "42" }, "--fault")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--speed", "0.5" }, "--speed")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--colour", "red" }, "--colour")]
    [InlineData(new[] { "push", "--server", "localhost:10000", "--count" }, "--count")]
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

        Assert.Equal(a.Inverter.Plant, b.Inverter.Plant);
        Assert.Equal(2_700_000_005u, a.Serial);
        Assert.Equal("SS1ES2700000005", a.Inverter.SerialNumber);
    }
}
