using System.Threading.Channels;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The stream of readings just committed (each stored once; duplicates are not in it), for whatever must look at
/// every reading as it arrives: alarm evaluation. Bounded: a watcher that falls behind slows the writer (and so polling
/// and ingest) instead of letting a lag grow without limit. Registered by the watcher (AlarmsModule): a host without
/// one has no stream, and the writer publishes nothing.
/// </summary>
internal sealed class CommittedReadings
{
    /// <summary>Batches in flight at most: with batches of up to 2,000 readings, a few seconds of a large fleet.</summary>
    public const int Capacity = 64;

    private readonly Channel<TelemetryReading[]> channel = Channel.CreateBounded<TelemetryReading[]>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    public ChannelReader<TelemetryReading[]> Reader => channel.Reader;

    public ValueTask PublishAsync(TelemetryReading[] readings, CancellationToken cancellationToken) =>
        channel.Writer.WriteAsync(readings, cancellationToken);
}
