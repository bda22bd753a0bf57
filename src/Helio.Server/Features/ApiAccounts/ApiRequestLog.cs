using System.Threading.Channels;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// The debug log of API accounts' requests, written off the request path: a request hands its record to a bounded
/// channel (never waiting), and one background writer per node stores what has gathered in one batch, then trims each
/// account it touched to its newest <see cref="KeepPerAccount"/> records. If the database falls behind and the channel
/// fills, records are dropped (and counted in the log) rather than slowing the API.
/// </summary>
internal sealed class ApiRequestLog(IServiceScopeFactory scopes, TimeProvider time, ILogger<ApiRequestLog> logger) : BackgroundService
{
    public const int KeepPerAccount = 200;
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);
    private const int Capacity = 10_000, MaxBatch = 500;

    private readonly Channel<ApiRequestRecord> pending = Channel.CreateBounded<ApiRequestRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long dropped;

    public void Write(ApiRequestRecord record)
    {
        if (!pending.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await pending.Reader.WaitToReadAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what has gathered is still written, briefly.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            await FlushAsync(last.Token);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<ApiRequestRecord>();
        while (batch.Count < MaxBatch && pending.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var accounts = batch.Select(r => r.ApiAccountId).ToHashSet();
            // An account closed and deleted with its owner in the meantime has nowhere to keep its records.
            var existing = await db.ApiAccounts.Where(a => accounts.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);
            db.Set<ApiRequestRecord>().AddRange(batch.Where(r => existing.Contains(r.ApiAccountId)));
            await db.SaveChangesAsync(cancellationToken);
            foreach (var accountId in existing)
            {
                await TrimAsync(db, accountId, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not store {Count} API request records", batch.Count);
        }
        if (Interlocked.Exchange(ref dropped, 0) is > 0 and var lost)
        {
            logger.LogWarning("Dropped {Count} API request records: the log's queue was full", lost);
        }
    }

    /// <summary>Keeps an account's newest records: older than the 200th, or than 7 days, go.</summary>
    private async Task TrimAsync(HelioDbContext db, Guid accountId, CancellationToken cancellationToken)
    {
        var records = db.Set<ApiRequestRecord>().Where(r => r.ApiAccountId == accountId);
        var oldestKept = await records.OrderByDescending(r => r.Id).Skip(KeepPerAccount - 1).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        var cutoff = time.GetUtcNow() - KeepFor;
        if (oldestKept is { } id)
        {
            await records.Where(r => r.Id < id || r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            await records.Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
