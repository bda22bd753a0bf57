using System.Threading.Channels;

namespace Helio.Collector.Forwarding;

/// <summary>A reading in the buffer, with its place in line (to remove exactly what was delivered).</summary>
internal readonly record struct BufferedReading(long Number, CollectedReading Reading);

/// <summary>
/// The readings not yet delivered, oldest first, at most <see cref="Limit"/>: when full, the oldest is dropped
/// (a gap in old history hurts less than missing the present) and counted, for the forwarder to report. Batches
/// are looked at, sent, and only then removed, so readings that could not be delivered stay in line.
/// </summary>
public sealed class ReadingBuffer
{
    private readonly Queue<BufferedReading> readings = new();
    private readonly Lock gate = new();
    // A doorbell, not a count: one pending ring is enough to wake the forwarder, which then looks at the queue.
    private readonly Channel<bool> arrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long next;
    private long dropped;

    public ReadingBuffer(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    public int Limit { get; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return readings.Count;
            }
        }
    }

    public void Add(CollectedReading reading)
    {
        lock (gate)
        {
            if (readings.Count == Limit)
            {
                readings.Dequeue();
                dropped++;
            }
            readings.Enqueue(new BufferedReading(next++, reading));
        }
        arrived.Writer.TryWrite(true);
    }

    /// <summary>Waits until there is something to send (perhaps already sent and not yet removed).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (Count == 0)
        {
            await arrived.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>The oldest readings, at most <paramref name="max"/>, left in the buffer.</summary>
    internal IReadOnlyList<BufferedReading> Peek(int max)
    {
        lock (gate)
        {
            return [.. readings.Take(max)];
        }
    }

    /// <summary>Removes readings up to and including number <paramref name="last"/> (those already dropped are gone).</summary>
    internal void Remove(long last)
    {
        lock (gate)
        {
            while (readings.TryPeek(out var first) && first.Number <= last)
            {
                readings.Dequeue();
            }
        }
    }

    /// <summary>Readings dropped since the last call.</summary>
    public long TakeDropped()
    {
        lock (gate)
        {
            var count = dropped;
            dropped = 0;
            return count;
        }
    }
}
