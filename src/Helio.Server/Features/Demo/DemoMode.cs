namespace Helio.Server.Features.Demo;

/// <summary>
/// Whether this run is a demo: switched on by <see cref="DemoSeeder"/> (only a --demo run seeds). It depends on
/// nothing, so that the gateway's settings can ask it without depending on the gateway themselves.
/// </summary>
internal sealed class DemoMode
{
    private readonly TaskCompletionSource on = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOn => on.Task.IsCompleted;

    /// <summary>Completes when the demo is switched on.</summary>
    public Task SwitchedOn => on.Task;

    public void SwitchOn() => on.TrySetResult();
}
