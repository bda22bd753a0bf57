using System.Collections.Concurrent;
using Helio.Collector.Forwarding;
using Helio.Collector.Sources;

namespace Helio.Collector.Tests.Fakes;

/// <summary>One source polled in the test, its readings collected in a list instead of forwarded.</summary>
internal sealed class RunningPoller : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly Task running;

    public RunningPoller(LoggerSource source, CollectorOptions? options = null)
    {
        options ??= RunningCollector.Fast(new Uri("http://127.0.0.1:1"), source);
        Poller = new InverterPoller(source, options, Readings.Enqueue, new CollectorLog(Log, TimeProvider.System), TimeProvider.System);
        running = Poller.RunAsync(stop.Token);
    }

    public InverterPoller Poller { get; }

    public ConcurrentQueue<CollectedReading> Readings { get; } = new();

    public LogLines Log { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }
}
