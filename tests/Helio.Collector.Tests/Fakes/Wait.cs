namespace Helio.Collector.Tests.Fakes;

internal static class Wait
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after 20 s.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting: " + what);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
