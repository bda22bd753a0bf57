using Helio.Collector.Discovery;
using Helio.Collector.Forwarding;
using Helio.Collector.Sources;

namespace Helio.Collector;

/// <summary>
/// The collector at work: a poller per source given, discovery when asked for, and the forwarder draining the
/// buffer they fill to the server. It runs until stopped, or until the server refuses the ingest key.
/// </summary>
public sealed class Collector(CollectorOptions options, CollectorLog log, TimeProvider time)
{
    public const int Stopped = 0;
    public const int KeyRefused = 1;

    private readonly InverterOwners owners = new(log);

    public ReadingBuffer Buffer { get; } = new(options.BufferLimit);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (returns <see cref="Stopped"/>) or the key is refused (<see cref="KeyRefused"/>).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = options.HttpTimeout, MaxResponseContentBufferSize = 1 << 20 };
        var ingest = new IngestClient(http, options.Server, options.IngestKey, time);
        log.Info($"forwarding to {ingest.Endpoint}; reading inverters every {options.Interval.TotalSeconds:0.#} s with register map {options.Map.Id}");
        if (ingest.Endpoint.Scheme == Uri.UriSchemeHttp && !ingest.Endpoint.IsLoopback)
        {
            log.Warn($"the ingest key and the readings travel unencrypted over http://; use https:// unless the server is on this LAN");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forwarding = new ReadingForwarder(ingest, Buffer, options, log, time).RunAsync(stop.Token);
        var work = new List<Task> { forwarding };
        foreach (var source in options.Sources)
        {
            log.Info($"polling {source}");
            work.Add(PollAsync(source, stop.Token));
        }
        if (options.Discovery is { } target)
        {
            work.Add(new DiscoveredLoggers(options, target, PollAsync, log, time).RunAsync(stop.Token));
        }

        // Pollers and discovery end only when stopped; the forwarder also when the key is refused.
        await Task.WhenAny(work);
        await stop.CancelAsync();
        await Task.WhenAll(work).ContinueWith(_ => { }, TaskScheduler.Default);
        if (forwarding.Exception?.InnerException is IngestKeyRefusedException refused)
        {
            log.Error($"{refused.Message}");
            return KeyRefused;
        }
        if (work.FirstOrDefault(t => t.IsFaulted) is { } failed)
        {
            // A bug: say so rather than stop in silence.
            throw failed.Exception!.InnerException ?? failed.Exception;
        }
        if (Buffer.Count > 0)
        {
            log.Warn($"stopped with {CollectorLog.Count(Buffer.Count, "reading")} not delivered");
        }
        return Stopped;
    }

    private async Task PollAsync(LoggerSource source, CancellationToken cancellationToken)
    {
        try
        {
            await new InverterPoller(source, options, Buffer.Add, log, time, owners.Identified).RunAsync(cancellationToken);
        }
        finally
        {
            owners.Forget(source);
        }
    }
}
