using System.Net;
using Helio.Collector.Sources;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Tests;

public sealed class CollectorArgumentsTests
{
    private const string Key = "hik_secret_key_value";

    private static string? NoEnvironment(string name) => null;

    private static CollectorOptions Parse(params string[] args) => CollectorArguments.Parse(args, NoEnvironment);

    [Fact]
    public void EveryOption_IsRead()
    {
        var options = Parse(
            "--server", "https://helio.example.org/base/", "--key", Key, "--interval", "30", "--model", "g3",
            "--v5", "192.168.1.20@2712345678", "--v5", "logger.lan:18899@1712345678",
            "--modbus", "192.168.1.30", "--modbus", "[fe80::1]:5020/3",
            "--discover-address", "192.168.1.255", "--discover-v5-port", "18899");

        Assert.Equal(new Uri("https://helio.example.org/base/"), options.Server);
        Assert.Equal(Key, options.IngestKey);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Interval);
        Assert.Same(RegisterMap.SofarG3, options.Map);
        Assert.Equal(
            [
                LoggerSource.V5("192.168.1.20", 8899, 2_712_345_678),
                LoggerSource.V5("logger.lan", 18899, 1_712_345_678),
                LoggerSource.Modbus("192.168.1.30", 502, 1),
                LoggerSource.Modbus("fe80::1", 5020, 3),
            ],
            options.Sources);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.255"), 48899), options.Discovery);
        Assert.Equal(18899, options.DiscoveredV5Port);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = Parse("--server", "http://localhost:5080", "--key", Key, "--discover");

        Assert.Equal(TimeSpan.FromSeconds(60), options.Interval);
        Assert.Same(RegisterMap.SofarG3, options.Map);
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 48899), options.Discovery);
        Assert.Equal(8899, options.DiscoveredV5Port);
        Assert.Equal(10_000, options.BufferLimit);
        Assert.Equal(500, options.BatchSize);
    }

    [Fact]
    public void TheKey_ComesFromTheEnvironment_WhenNotGiven()
    {
        var options = CollectorArguments.Parse(["--server", "http://localhost:5080", "--modbus", "10.0.0.5"], name => name == "HELIO_INGEST_KEY" ? Key : null);

        Assert.Equal(Key, options.IngestKey);
    }

    [Fact]
    public void Ktlx_NeedsEveryInverterNamed_AndTakesTheName()
    {
        var options = Parse("--server", "http://localhost:5080", "--key", Key, "--model", "ktlx", "--v5", "10.0.0.5@2712345678=SF4ES005N1234");

        Assert.Same(RegisterMap.SofarKtlx, options.Map);
        Assert.Equal("SF4ES005N1234", Assert.Single(options.Sources).InverterSerial);
    }

    [Theory]
    [InlineData(new[] { "--key", Key, "--discover" }, "--server")]
    [InlineData(new[] { "--server", "ftp://helio.example.org", "--key", Key, "--discover" }, "--server")]
    [InlineData(new[] { "--server", "https://user:pw@helio.example.org", "--key", Key, "--discover" }, "--server")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--discover" }, "--key")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key }, "--discover")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "--interval", "1" }, "--interval")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "--model", "hyd" }, "--model")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "192.168.1.20" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "192.168.1.20@27123x" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "192.168.1.20@4294967296" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "192.168.1.20:0@2712345678" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "bad host@2712345678" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--modbus", "192.168.1.20/0" }, "--modbus")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--modbus", "192.168.1.20:70000" }, "--modbus")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--modbus", "192.168.1.20=SER IAL" }, "--modbus")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--modbus", "192.168.1.20=SF4" }, "--modbus")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--v5", "192.168.1.20@2712345678=SF4-ES005N1234" }, "--v5")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--modbus", "10.0.0.5", "--modbus", "10.0.0.5:502/1" }, "given twice")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover-address", "logger.lan" }, "--discover-address")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "--discover-v5-port", "0" }, "--discover-v5-port")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--model", "ktlx", "--modbus", "10.0.0.5" }, "=SERIAL")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--model", "ktlx", "--discover" }, "--discover")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "--colour", "red" }, "--colour")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "--interval" }, "--interval")]
    [InlineData(new[] { "--server", "https://helio.example.org", "--key", Key, "--discover", "stray" }, "stray")]
    public void BadArguments_AreRefused_NamingTheOption_NeverTheKey(string[] args, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(args));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyWithControlCharacters_IsRefused_WithoutRepeatingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("--server", "https://helio.example.org", "--key", "secret\nvalue", "--discover"));

        Assert.Contains("--key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
