namespace Helio.Collector.Forwarding;

/// <summary>
/// Sends buffered readings to the server in batches, oldest first. What could not be delivered (network down,
/// timeouts, 429, 5xx) stays in the buffer and is sent again after a backoff, or when the server's Retry-After
/// says; readings the server refused are logged with its reason and not sent again; a refused key ends the
/// forwarder with <see cref="IngestKeyRefusedException"/>.
/// </summary>
internal sealed class ReadingForwarder(IngestClient client, ReadingBuffer buffer, CollectorOptions options, CollectorLog log, TimeProvider time)
{
    /// <summary>Refused readings named one by one per batch; the rest are counted (a batch of 500 bad readings is one problem, not 500 lines).</summary>
    private const int MaxRefusalsLogged = 10;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.FirstBackoff, options.MaxBackoff);
        var batchSize = options.BatchSize;
        var failing = false;
        while (true)
        {
            await buffer.WaitAsync(cancellationToken);
            if (buffer.TakeDropped() is > 0 and var dropped)
            {
                log.Warn($"buffer full ({buffer.Limit} readings): dropped the oldest {CollectorLog.Count(dropped, "reading")}");
            }
            var batch = buffer.Peek(batchSize);
            switch (await client.SendAsync(batch, cancellationToken))
            {
                case IngestOutcome.Delivered delivered:
                    buffer.Remove(batch[^1].Number);
                    Report(batch, delivered.Answer, failing);
                    failing = false;
                    backoff.Reset();
                    break;
                case IngestOutcome.KeyRefused refused:
                    throw new IngestKeyRefusedException(refused.Status);
                case IngestOutcome.TooLarge when batchSize > 1:
                    batchSize = Math.Max(1, batch.Count / 2);
                    log.Warn($"the server finds {batch.Count} readings in one request too many; sending {batchSize} at a time");
                    break;
                case IngestOutcome.TooLarge:
                    buffer.Remove(batch[^1].Number);
                    log.Error($"the server refused a single reading of {batch[0].Reading.InverterSerial} as too large; it is dropped");
                    break;
                case IngestOutcome.Malformed malformed:
                    // The same bytes would be refused again: dropping them keeps the readings behind them moving.
                    buffer.Remove(batch[^1].Number);
                    log.Error($"the server could not read {CollectorLog.Count(batch.Count, "reading")} ({malformed.Problem}); dropped. Is the collector older than the server?");
                    break;
                case IngestOutcome.RetryLater retry:
                    var pause = retry.After is { } after ? (after < options.MaxRetryAfter ? after : options.MaxRetryAfter) : backoff.Next();
                    failing = true;
                    log.Warn($"{CollectorLog.Count(batch.Count, "reading")} not delivered: {retry.Why}; {buffer.Count} buffered, next try in {pause.TotalSeconds:0.#} s");
                    await Task.Delay(pause, time, cancellationToken);
                    break;
            }
        }
    }

    private void Report(IReadOnlyList<BufferedReading> batch, IngestAnswer? answer, bool recovered)
    {
        var again = recovered ? " (the server is reachable again)" : "";
        if (answer is null)
        {
            log.Warn($"forwarded {CollectorLog.Count(batch.Count, "reading")}{again}; the server's answer could not be read");
            return;
        }
        log.Info($"forwarded {CollectorLog.Count(batch.Count, "reading")}{again}: {answer.Accepted} accepted, {answer.Duplicates} duplicates, {answer.Refused} refused");
        var refusals = (answer.Results ?? []).Where(r => string.Equals(r.Status, "refused", StringComparison.Ordinal)).ToList();
        foreach (var result in refusals.Take(MaxRefusalsLogged))
        {
            var what = result.Index >= 0 && result.Index < batch.Count
                ? $"{batch[result.Index].Reading.InverterSerial} at {batch[result.Index].Reading.At:yyyy-MM-dd HH:mm:ss}Z"
                : $"#{result.Index}";
            var field = string.IsNullOrEmpty(result.Field) ? "" : $" ({result.Field})";
            log.Warn($"reading {what} refused{field}: {result.Reason ?? "no reason given"}");
        }
        if (refusals.Count > MaxRefusalsLogged)
        {
            log.Warn($"… and {refusals.Count - MaxRefusalsLogged} more refused");
        }
    }
}
