using System.Net;
using Helio.Collector.Sources;
using Helio.Protocols.Discovery;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector;

/// <summary>
/// Everything the collector runs on: what the command line sets (<see cref="CollectorArguments"/>) and the limits
/// and timings it does not expose, each with its reason. Tests shorten the timings.
/// </summary>
public sealed record CollectorOptions
{
    /// <summary>The Helio server's base address; readings go to <c>api/v1/ingest/readings</c> under it.</summary>
    public required Uri Server { get; init; }

    /// <summary>The plant's ingest key. Secret: never printed, never in an error message.</summary>
    public required string IngestKey { get; init; }

    public IReadOnlyList<LoggerSource> Sources { get; init; } = [];

    public RegisterMap Map { get; init; } = RegisterMap.SofarG3;

    /// <summary>How often every inverter is read (the gateway's default poll interval too).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the discovery broadcast goes, or null for no discovery.</summary>
    public IPEndPoint? Discovery { get; init; }

    /// <summary>The V5 port loggers found by discovery are polled on.</summary>
    public int DiscoveredV5Port { get; init; } = LoggerSource.DefaultV5Port;

    /// <summary>A logger that is switched off or moved to another address is found again on the next round.</summary>
    public TimeSpan DiscoveryPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long replies to one broadcast are collected: loggers answer within a second or so.</summary>
    public TimeSpan DiscoveryListen { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Loggers polled through discovery at most: a LAN full of forged replies cannot make the collector open connections without end.</summary>
    public int MaxDiscoveredLoggers { get; init; } = 64;

    /// <summary>Connecting, and waiting for the answer to one request; a logger that does not answer in this time gets a new connection.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnecting and resending start after this pause and double up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Readings kept while the server cannot be reached; beyond it the oldest are dropped. 10,000 is about a week of
    /// one inverter read every minute, or a day of seven, in about 4 MB.
    /// </summary>
    public int BufferLimit { get; init; } = 10_000;

    /// <summary>Readings per ingest request: the API's limit.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>One ingest request, sending and answer.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is not believed: the collector tries again sooner.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(15);

    public static IPEndPoint DefaultDiscovery => new(IPAddress.Broadcast, LoggerDiscovery.Port);
}
