using Helio.Server.Features.Gateway;

namespace Helio.Server.Tests.Gateway;

public sealed class OpenFilesLimitTests
{
    [Theory]
    [InlineData(100_000, 20_000, 19_488)] // this machine: the limit decides
    [InlineData(1_000, 20_000, 1_000)]    // the setting decides
    [InlineData(100_000, null, 100_000)]  // no limit known (not Linux, or unlimited)
    [InlineData(100_000, 100, 1)]         // absurdly low limit: still one, never zero or negative
    public void TheGatewayKeepsDescriptorsInReserve(int configured, int? limit, int expected) =>
        Assert.Equal(expected, OpenFilesLimit.Connections(configured, limit));

    [Fact]
    public void OnLinux_TheLimitIsRead()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/limits is Linux's");
        Assert.InRange(OpenFilesLimit.Current()!.Value, 64, int.MaxValue);
    }
}
