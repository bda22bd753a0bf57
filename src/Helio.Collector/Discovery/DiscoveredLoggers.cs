using System.Net;
using Helio.Collector.Sources;
using Helio.Protocols.Discovery;

namespace Helio.Collector.Discovery;

/// <summary>
/// Finds loggers by discovery every <see cref="CollectorOptions.DiscoveryPeriod"/> and keeps each one polled in V5
/// client mode: a new logger gets a poller, a logger found at a new address gets a new poller there, a logger
/// that no longer answers the broadcast keeps its poller (it may have missed one round; the poller reconnects
/// with backoff). Loggers also given with --v5 are left to those sources. At most
/// <see cref="CollectorOptions.MaxDiscoveredLoggers"/> are polled.
/// </summary>
internal sealed class DiscoveredLoggers(
    CollectorOptions options,
    IPEndPoint target,
    Func<LoggerSource, CancellationToken, Task> poll,
    CollectorLog log,
    TimeProvider time)
{
    private readonly Dictionary<uint, Polled> polled = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var given = options.Sources.Where(s => s.Kind == SourceKind.V5).Select(s => s.LoggerSerial).ToHashSet();
        try
        {
            using var timer = new PeriodicTimer(options.DiscoveryPeriod, time);
            do
            {
                IReadOnlyList<DiscoveredLogger> found;
                try
                {
                    found = await LoggerFinder.FindAsync(target, options.DiscoveryListen, options.MaxDiscoveredLoggers, time, cancellationToken);
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    log.Warn($"discovery to {target} failed: {e.Message}; trying again in {options.DiscoveryPeriod.TotalSeconds:0} s");
                    continue;
                }
                if (polled.Count == 0 || found.Any(l => !polled.ContainsKey(l.Serial)))
                {
                    log.Info($"discovery to {target}: {found.Count} logger(s) answered");
                }
                foreach (var logger in found.Where(l => !given.Contains(l.Serial)))
                {
                    await StartAsync(logger, cancellationToken);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        finally
        {
            foreach (var p in polled.Values)
            {
                await p.Stop.CancelAsync();
            }
            await Task.WhenAll(polled.Values.Select(p => p.Polling)).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var p in polled.Values)
            {
                p.Stop.Dispose();
            }
        }
    }

    private async Task StartAsync(DiscoveredLogger logger, CancellationToken cancellationToken)
    {
        if (polled.TryGetValue(logger.Serial, out var known))
        {
            if (known.Address.Equals(logger.Address))
            {
                return;
            }
            log.Info($"logger {logger.Serial:D10} moved from {known.Address} to {logger.Address}");
            await known.Stop.CancelAsync();
            await known.Polling.ContinueWith(_ => { }, TaskScheduler.Default);
            known.Stop.Dispose();
            polled.Remove(logger.Serial);
        }
        else if (polled.Count >= options.MaxDiscoveredLoggers)
        {
            log.Warn($"logger {logger.Serial:D10} at {logger.Address} not polled: already {options.MaxDiscoveredLoggers} found");
            return;
        }
        else
        {
            log.Info($"found logger {logger.Serial:D10} at {logger.Address} (MAC {logger.Mac})");
        }
        var source = LoggerSource.V5(logger.Address.ToString(), options.DiscoveredV5Port, logger.Serial);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        polled[logger.Serial] = new Polled(logger.Address, stop, poll(source, stop.Token));
    }

    private sealed record Polled(IPAddress Address, CancellationTokenSource Stop, Task Polling);
}
