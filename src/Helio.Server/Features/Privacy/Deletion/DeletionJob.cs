using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>Where a step left a queued deletion.</summary>
internal enum Step { Waiting, NoticesSent, Erased, Dropped }

/// <summary>Wakes the deletion job on this node when a deletion request is verified.</summary>
public sealed class DeletionSignal : WakeSignal;

/// <summary>
/// Carries out verified deletion requests in the background, never in the requester's HTTP request: for each queued
/// <see cref="AccountDeletion"/>, first <see cref="SendErasureNotices"/>, then, at a later run once those went out,
/// <see cref="EraseRequester"/>. One node at a time (a lease in the database); each request in a scope and transaction
/// of its own, so one that fails is logged and tried again at the next run while the others go on.
/// </summary>
internal sealed partial class DeletionJob(
    IServiceScopeFactory scopes, JobLeases leases, DeletionSignal signal, IOptions<DeletionOptions> options, ILogger<DeletionJob> logger) : BackgroundService
{
    public const string Job = "privacy-deletions";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WhileThereIsWork.RunAsync(async ct => await RunOnceAsync(ct) is { } run && run.Taken == options.Value.BatchSize && run.Progressed > 0,
            signal, () => options.Value.PollInterval, e => LogFailed(logger, e), stoppingToken);

    /// <summary>What one run did: how many queued deletions it looked at, and how many moved a step on.</summary>
    public sealed record Run(int Taken, int Progressed, int Erased);

    /// <summary>One pass over the queue, oldest first; null when another node holds the lease.</summary>
    public async Task<Run?> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<AccountDeletion> queued;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            // Nothing queued is the usual answer: a read, not the lease's write, every poll.
            if (!await db.Set<AccountDeletion>().AnyAsync(cancellationToken))
            {
                return new Run(0, 0, 0);
            }
            if (!await leases.TryAcquireAsync(db, Job, Lease, cancellationToken))
            {
                return null;
            }
            queued = await db.Set<AccountDeletion>().AsNoTracking().OrderBy(d => d.QueuedAt).ThenBy(d => d.RequestId)
                .Take(options.Value.BatchSize).ToListAsync(cancellationToken);
        }
        int progressed = 0, erased = 0;
        foreach (var deletion in queued)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            try
            {
                var step = deletion.NoticesSentAt is null
                    ? await scope.ServiceProvider.GetRequiredService<SendErasureNotices>().HandleAsync(deletion, cancellationToken)
                    : await scope.ServiceProvider.GetRequiredService<EraseRequester>().HandleAsync(deletion, cancellationToken);
                switch (step)
                {
                    case Step.NoticesSent:
                        progressed++;
                        LogNoticesSent(logger, deletion.RequestId);
                        break;
                    case Step.Erased:
                        progressed++;
                        erased++;
                        LogErased(logger, deletion.RequestId);
                        break;
                    case Step.Dropped:
                        // Refused or answered by a privacy officer meanwhile: not Helio's to carry out any more.
                        db.ChangeTracker.Clear();
                        await db.Set<AccountDeletion>().Where(d => d.RequestId == deletion.RequestId).ExecuteDeleteAsync(cancellationToken);
                        progressed++;
                        LogDropped(logger, deletion.RequestId);
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRequestFailed(logger, deletion.RequestId, e);
            }
        }
        return new Run(queued.Count, progressed, erased);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion request {RequestId}: recipients notified, final confirmation queued")]
    private static partial void LogNoticesSent(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion request {RequestId}: account erased, request completed")]
    private static partial void LogErased(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion request {RequestId}: no longer open, dropped from the queue")]
    private static partial void LogDropped(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deletion request {RequestId} failed; tried again at the next run")]
    private static partial void LogRequestFailed(ILogger logger, Guid requestId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The deletion job failed; next try at its next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
