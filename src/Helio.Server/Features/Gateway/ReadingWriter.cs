using System.Text.Json;
using System.Threading.Channels;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Platform.Data;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Stores polled readings in batches: one writer drains a bounded queue (sessions wait when it is full, which
/// slows polling rather than losing readings) and commits up to <see cref="BatchSize"/> readings per transaction.
/// Readings still queued when the server stops are not stored (at most one poll per logger).
/// </summary>
internal sealed partial class ReadingWriter(IServiceScopeFactory scopes, GatewayMetrics metrics, ILogger<ReadingWriter> logger) : BackgroundService, IReadingSink
{
    public const int BatchSize = 500;
    public const int QueueCapacity = 10_000;

    private readonly Channel<PolledReading> queue = Channel.CreateBounded<PolledReading>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    public ValueTask AcceptAsync(PolledReading reading, CancellationToken cancellationToken) => queue.Writer.WriteAsync(reading, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<GatewayReading>(BatchSize);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < BatchSize && queue.Reader.TryRead(out var reading))
            {
                batch.Add(ToRow(reading));
            }
            // A batch that cannot be stored (database down) is retried, backing off up to 30 s; meanwhile the queue
            // fills and sessions wait, so polling slows down instead of readings being dropped.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
                    var duplicates = await ReadingInserts.InsertNewAsync(db, batch, stoppingToken);
                    metrics.Readings("gateway", "stored", batch.Count - duplicates.Count);
                    metrics.Readings("gateway", "duplicate", duplicates.Count);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, batch.Count, attempt + 1, e);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), stoppingToken);
                }
            }
            batch.Clear();
        }
    }

    internal static GatewayReading ToRow(PolledReading polled)
    {
        var values = new Dictionary<string, double>();
        foreach (var (metric, value) in polled.Reading.All())
        {
            values[Metrics.Name(metric)] = Math.Round(value, 3);
        }
        var reading = polled.Reading;
        return new GatewayReading
        {
            LoggerSerial = LoggerSerials.Format(polled.LoggerSerial),
            InverterSerial = polled.InverterSerial,
            At = ReadingInserts.Instant(polled.At),
            State = JsonNamingPolicy.CamelCase.ConvertName(reading.State.ToString()),
            Faults = string.Join(',', reading.Faults.ToArray()),
            Values = JsonSerializer.Serialize(values),
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} readings failed (attempt {Attempt}); retrying")]
    private static partial void LogFailed(ILogger logger, int count, int attempt, Exception exception);
}
