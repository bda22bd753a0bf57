using Helio.Collector.Sources;

namespace Helio.Collector.Tests.Fakes;

/// <summary>A collector running in the test with short timings, its output captured; stopped (and its output checked for the key) at the end.</summary>
internal sealed class RunningCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    private RunningCollector(CollectorOptions options)
    {
        Options = options;
        Collector = new Collector(options, new CollectorLog(Log, TimeProvider.System), TimeProvider.System);
        Run = Collector.RunAsync(stop.Token);
    }

    public CollectorOptions Options { get; }

    public LogLines Log { get; } = new();

    public Collector Collector { get; }

    public Task<int> Run { get; }

    /// <summary>Options that make things happen within a test: polls 5 times a second, retries within half a second.</summary>
    public static CollectorOptions Fast(Uri server, params LoggerSource[] sources) => new()
    {
        Server = server,
        IngestKey = TestIngestServer.Key,
        Sources = sources,
        Interval = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(2),
        FirstBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        DiscoveryPeriod = TimeSpan.FromSeconds(1),
        DiscoveryListen = TimeSpan.FromMilliseconds(300),
        HttpTimeout = TimeSpan.FromSeconds(5),
    };

    public static RunningCollector Start(CollectorOptions options) => new(options);

    /// <summary>Stops the collector (as Ctrl+C does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await Run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }
        stop.Dispose();
        Assert.DoesNotContain(TestIngestServer.Key, Log.ToString(), StringComparison.Ordinal);
    }
}
