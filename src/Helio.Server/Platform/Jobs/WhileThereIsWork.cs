namespace Helio.Server.Platform.Jobs;

/// <summary>The loop of a batch worker woken by a <see cref="WakeSignal"/>: run batches while each says there is more,
/// then wait for the signal or the poll interval. A failed batch is reported and retried at the next wake-up.</summary>
internal static class WhileThereIsWork
{
    public static async Task RunAsync(Func<CancellationToken, Task<bool>> batch, WakeSignal signal, Func<TimeSpan> pollInterval, Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await batch(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed(ex);
            }
            try
            {
                await signal.WaitAsync(pollInterval(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
