using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Takes queued exports and transfers, one at a time per node, each under a job lease of its own
/// ("privacy-export:{request}"): of several nodes exactly one works on a request, and nodes work on different
/// requests side by side. The lease is renewed with every batch written; a node that dies mid-way leaves its job
/// running with a lease that expires, and the next node to look takes it over from the start (up to
/// <see cref="ExportOptions.MaxAttempts"/> times). Woken by <see cref="ExportSignal"/> on the node that queued it,
/// by its poll elsewhere.
/// </summary>
internal sealed partial class ExportWorker(
    IServiceScopeFactory scopes, JobLeases leases, ExportSignal signal, IOptions<ExportOptions> options, ILogger<ExportWorker> logger) : BackgroundService
{
    /// <summary>Jobs looked at per round: the waiting ones, oldest first; more wait for the next round.</summary>
    private const int Candidates = 20;

    public static string LeaseName(Guid requestId) => $"privacy-export:{requestId:N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        WhileThereIsWork.RunAsync(RunOneAsync, signal, () => options.Value.PollInterval, e => LogFailed(logger, e), stoppingToken);

    /// <summary>Does one job whose lease this node could take; false when there was none.</summary>
    internal async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var waiting = await db.Set<ExportJob>().AsNoTracking().Where(j => j.State == ExportJobState.Queued || j.State == ExportJobState.Running)
            .OrderBy(j => j.QueuedAt).Select(j => j.RequestId).Take(Candidates).ToListAsync(cancellationToken);
        foreach (var requestId in waiting)
        {
            if (!await leases.TryAcquireAsync(db, LeaseName(requestId), options.Value.LeaseDuration, cancellationToken))
            {
                continue; // another node has it
            }
            try
            {
                await scope.ServiceProvider.GetRequiredService<RunExport>().HandleAsync(requestId, cancellationToken);
            }
            finally
            {
                // Done, failed or crashed here: the lease goes, so a retry (or the next job) need not wait for it to expire.
                // Only this node's own: a lease lost to another node stays with it.
                var holder = leases.Holder;
                await db.Set<JobLease>().Where(l => l.Name == LeaseName(requestId) && l.Holder == holder).ExecuteDeleteAsync(CancellationToken.None);
            }
            return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An export run failed; it is retried")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
