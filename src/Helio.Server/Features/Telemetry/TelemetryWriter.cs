using System.Threading.Channels;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The one writer of raw readings (gateway and ingest alike). Submissions wait in a bounded queue; the writer takes
/// what is queued, up to <see cref="TelemetryOptions.BatchSize"/> readings, waits at most
/// <see cref="TelemetryOptions.FlushDelay"/> for more when the queue runs dry, commits them as one batch, and only
/// then answers each submitter whether each reading was stored or already there. A full queue makes submitters wait
/// (back-pressure: polling and ingest slow down) instead of losing readings; a failing database is retried with
/// backoff up to 30 s while the queue fills.
/// </summary>
internal sealed partial class TelemetryWriter(
    IReadingStore store,
    Microsoft.Extensions.Options.IOptions<TelemetryOptions> options,
    ILogger<TelemetryWriter> logger,
    CommittedReadings? committed = null)
    : BackgroundService
{
    private readonly TelemetryOptions settings = options.Value;

    private readonly Channel<Submission> queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    /// <summary>Stores the readings and returns, per reading, true when stored now and false when already stored.</summary>
    public async Task<bool[]> StoreAsync(IReadOnlyList<TelemetryReading> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return [];
        }
        var submission = new Submission(readings);
        await queue.Writer.WriteAsync(submission, cancellationToken);
        return await submission.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var taken = new List<Submission>();
        var batch = new List<TelemetryReading>(settings.BatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await TakeAsync(taken, batch, stoppingToken);
                var stored = new bool[batch.Count];
                await WriteWithRetryAsync(batch, stored, stoppingToken);
                Answer(taken, stored);
                if (committed is not null)
                {
                    await committed.PublishAsync(Stored(batch, stored), stoppingToken);
                }
                taken.Clear();
                batch.Clear();
            }
        }
        finally
        {
            // Submitters still waiting when the server stops are told their readings were not stored.
            foreach (var submission in taken)
            {
                submission.Done.TrySetCanceled(stoppingToken);
            }
            while (queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(stoppingToken);
            }
            await store.DisposeAsync();
        }
    }

    /// <summary>Whole submissions only (an ingest request's readings commit together), so a batch may pass the size
    /// by one submission's worth.</summary>
    private async Task TakeAsync(List<Submission> taken, List<TelemetryReading> batch, CancellationToken stoppingToken)
    {
        var waited = false;
        while (batch.Count < settings.BatchSize)
        {
            if (queue.Reader.TryRead(out var submission))
            {
                taken.Add(submission);
                batch.AddRange(submission.Readings);
                continue;
            }
            if (waited || settings.FlushDelay <= TimeSpan.Zero)
            {
                return;
            }
            waited = true;
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            delay.CancelAfter(settings.FlushDelay);
            try
            {
                await queue.Reader.WaitToReadAsync(delay.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task WriteWithRetryAsync(List<TelemetryReading> batch, bool[] stored, CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.WriteAsync(batch, stored, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, batch.Count, attempt + 1, e);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), stoppingToken);
            }
        }
    }

    private static TelemetryReading[] Stored(List<TelemetryReading> batch, bool[] stored)
    {
        var count = 0;
        foreach (var s in stored)
        {
            count += s ? 1 : 0;
        }
        var readings = new TelemetryReading[count];
        for (int i = 0, n = 0; i < stored.Length; i++)
        {
            if (stored[i])
            {
                readings[n++] = batch[i];
            }
        }
        return readings;
    }

    private static void Answer(List<Submission> taken, bool[] stored)
    {
        var offset = 0;
        foreach (var submission in taken)
        {
            var results = stored.AsSpan(offset, submission.Readings.Count).ToArray();
            offset += results.Length;
            submission.Done.TrySetResult(results);
        }
    }

    private sealed record Submission(IReadOnlyList<TelemetryReading> Readings)
    {
        public TaskCompletionSource<bool[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} readings failed (attempt {Attempt}); retrying")]
    private static partial void LogFailed(ILogger logger, int count, int attempt, Exception exception);
}
