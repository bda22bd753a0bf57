using System.Net;
using System.Text;
using Helio.Protocols.Discovery;

namespace Helio.Protocols.Tests;

public sealed class LoggerDiscoveryTests
{
    [Fact]
    public void AReply_GivesAddressMacAndSerial()
    {
        Assert.True(LoggerDiscovery.TryParseReply(Encoding.ASCII.GetBytes("192.168.1.37,98d863a1b2c3,2712345678"), out var logger));

        Assert.Equal(IPAddress.Parse("192.168.1.37"), logger.Address);
        Assert.Equal("98D863A1B2C3", logger.Mac);
        Assert.Equal(2_712_345_678u, logger.Serial);
    }

    [Theory]
    [InlineData("")]
    [InlineData("WIFIKIT-214028-READ")]             // our own broadcast, heard back
    [InlineData("192.168.1.37,98d863a1b2c3")]
    [InlineData("192.168.1.37,98d863a1b2c3,27123")] // serial too short
    [InlineData("192.168.1.300,98d863a1b2c3,2712345678")]
    [InlineData("192.168.1.37,98d863a1b2cz,2712345678")]
    [InlineData("192.168.1.37,98d863a1b2c3,9999999999")] // beyond a 32-bit serial
    public void AnythingElse_IsNotAReply(string text) =>
        Assert.False(LoggerDiscovery.TryParseReply(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void TheRequests_AreTheKnownTexts() =>
        Assert.Equal(["WIFIKIT-214028-READ", "HF-A11ASSISTHREAD"], LoggerDiscovery.Requests.Select(r => Encoding.ASCII.GetString(r)));
}
