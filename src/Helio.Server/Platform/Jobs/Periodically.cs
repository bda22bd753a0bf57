namespace Helio.Server.Platform.Jobs;

/// <summary>The loop of a background job: run at once, then every interval until the host stops. A run that fails is
/// reported and the next one comes at its time, so one bad run never ends the job.</summary>
internal static class Periodically
{
    public static async Task RunAsync(TimeSpan every, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every, time);
        do
        {
            try
            {
                await work(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
