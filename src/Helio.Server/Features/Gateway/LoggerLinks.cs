using System.Collections.Concurrent;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// How the link to each logger connected to this node is doing: when it was last heard (any frame), and over a sliding
/// window how many requests to its inverter were answered or failed and how many runs of bytes were no frame. The
/// presence recorder writes the first to the database for every node's offline check; this node's communication check
/// reads the rest. Counting is a few interlocked adds per request, in fixed time buckets: nothing grows.
/// </summary>
public sealed class LoggerLinks(TimeProvider time)
{
    /// <summary>Buckets the window is counted in; the window slides one bucket at a time.</summary>
    public const int Buckets = 6;

    private readonly ConcurrentDictionary<uint, Link> links = new();

    /// <summary>The bucket length: the communication window (from the alarm settings) divided into <see cref="Buckets"/>.</summary>
    public TimeSpan BucketLength { get; set; } = TimeSpan.FromMinutes(5);

    public void Heard(uint logger)
    {
        var link = Of(logger);
        link.LastHeardMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        Volatile.Write(ref link.Unrecorded, 1);
    }

    public void Request(uint logger, bool answered) => Of(logger).Count(Slot(), answered ? 0 : 1, 1, 0);

    public void BadFrame(uint logger) => Of(logger).Count(Slot(), 0, 0, 1);

    /// <summary>The logger disconnected: its counts stop, and it is dropped once its last-heard time has been recorded
    /// (<see cref="Prune"/>), so that even a logger that came and went between two flushes is known to have been here.</summary>
    public void Forget(uint logger)
    {
        if (links.TryGetValue(logger, out var link))
        {
            link.Gone = true;
        }
    }

    /// <summary>Drops disconnected loggers whose last-heard time has been recorded.</summary>
    public void Prune()
    {
        foreach (var (logger, link) in links)
        {
            if (link.Gone && Volatile.Read(ref link.Unrecorded) == 0)
            {
                links.TryRemove(new KeyValuePair<uint, Link>(logger, link));
            }
        }
    }

    /// <summary>Loggers heard since the last call, with when; each is handed out once per hearing (a flag, not a time
    /// comparison, so two loggers heard in the same millisecond are both recorded).</summary>
    public List<(uint Logger, long LastHeardMs)> TakeHeard()
    {
        var heard = new List<(uint, long)>();
        foreach (var (logger, link) in links)
        {
            if (Interlocked.Exchange(ref link.Unrecorded, 0) == 1)
            {
                heard.Add((logger, Volatile.Read(ref link.LastHeardMs)));
            }
        }
        return heard;
    }

    /// <summary>Hands loggers back whose recording failed, for the next flush.</summary>
    public void Unrecorded(IEnumerable<(uint Logger, long LastHeardMs)> heard)
    {
        foreach (var (logger, _) in heard)
        {
            if (links.TryGetValue(logger, out var link))
            {
                Volatile.Write(ref link.Unrecorded, 1);
            }
        }
    }

    /// <summary>Per connected logger: requests, failures and bad frames over the window.</summary>
    public IEnumerable<LinkStats> Window()
    {
        var slot = Slot();
        foreach (var (logger, link) in links)
        {
            if (!link.Gone)
            {
                yield return link.Sum(logger, slot);
            }
        }
    }

    private Link Of(uint logger)
    {
        var link = links.GetOrAdd(logger, static _ => new Link());
        link.Gone = false;
        return link;
    }

    private long Slot() => time.GetUtcNow().ToUnixTimeMilliseconds() / (long)BucketLength.TotalMilliseconds;

    private sealed class Link
    {
        private readonly long[] slots = new long[Buckets];
        private readonly int[] requests = new int[Buckets];
        private readonly int[] failures = new int[Buckets];
        private readonly int[] badFrames = new int[Buckets];

        public long LastHeardMs;

        public int Unrecorded;

        public volatile bool Gone;

        public void Count(long slot, int failed, int asked, int bad)
        {
            var i = (int)(slot % Buckets);
            lock (this)
            {
                if (slots[i] != slot)
                {
                    // The bucket last held an older slot: start it afresh.
                    slots[i] = slot;
                    requests[i] = failures[i] = badFrames[i] = 0;
                }
                requests[i] += asked;
                failures[i] += failed;
                badFrames[i] += bad;
            }
        }

        public LinkStats Sum(uint logger, long slot)
        {
            int asked = 0, failed = 0, bad = 0;
            lock (this)
            {
                for (var i = 0; i < Buckets; i++)
                {
                    if (slot - slots[i] < Buckets)
                    {
                        asked += requests[i];
                        failed += failures[i];
                        bad += badFrames[i];
                    }
                }
            }
            return new LinkStats(logger, asked, failed, bad);
        }
    }
}

public readonly record struct LinkStats(uint Logger, int Requests, int Failures, int BadFrames);
