namespace Helio.Server.Features.Demo;

/// <summary>
/// Signals that the demo has been seeded (only a --demo run seeds), so that the demo loggers connect only once their
/// serials are registered to the demo plants.
/// </summary>
internal sealed class DemoMode
{
    private readonly TaskCompletionSource on = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the demo is switched on.</summary>
    public Task SwitchedOn => on.Task;

    public void SwitchOn() => on.TrySetResult();
}
