namespace Helio.Server.Tests.Infrastructure;

/// <summary>Waits for what a running server does in the background (a poll stored, a mail marked sent), failing with what was awaited.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(20);

    public static Task True(Func<bool> condition, string what = "timed out waiting", TimeSpan? within = null) =>
        True(() => Task.FromResult(condition()), what, within);

    public static async Task True(Func<Task<bool>> condition, string what = "timed out waiting", TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
