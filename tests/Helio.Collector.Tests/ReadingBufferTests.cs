using Helio.Collector.Forwarding;
using Helio.Protocols.RegisterMaps;

namespace Helio.Collector.Tests;

public sealed class ReadingBufferTests
{
    private static CollectedReading Reading(int second) => new("SS1ES2700000001", new DateTimeOffset(2026, 11, 30, 10, 0, second, TimeSpan.Zero), new InverterReading());

    [Fact]
    public void WhenFull_TheOldestIsDropped_AndCounted()
    {
        var buffer = new ReadingBuffer(3);

        for (var i = 0; i < 5; i++)
        {
            buffer.Add(Reading(i));
        }

        Assert.Equal(3, buffer.Count);
        Assert.Equal([2, 3, 4], buffer.Peek(10).Select(r => r.Reading.At.Second));
        Assert.Equal(2, buffer.TakeDropped());
        Assert.Equal(0, buffer.TakeDropped());
    }

    [Fact]
    public void ABatchIsRemovedOnlyOnceDelivered_AndReadingsDroppedMeanwhileAreNotRemovedTwice()
    {
        var buffer = new ReadingBuffer(3);
        buffer.Add(Reading(0));
        buffer.Add(Reading(1));
        var batch = buffer.Peek(2);

        // While the batch is on its way, new readings push the oldest out.
        buffer.Add(Reading(2));
        buffer.Add(Reading(3));
        buffer.Remove(batch[^1].Number);

        Assert.Equal([2, 3], buffer.Peek(10).Select(r => r.Reading.At.Second));
    }

    [Fact]
    public async Task WaitAsync_ReturnsWhenAReadingArrives()
    {
        var buffer = new ReadingBuffer(10);
        var waiting = buffer.WaitAsync(TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        buffer.Add(Reading(0));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }
}
