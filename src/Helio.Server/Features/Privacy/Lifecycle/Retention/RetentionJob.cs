using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>What one run deleted, per rule (rows, files or accounts); a rule that failed is missing.</summary>
public sealed record RetentionRun(IReadOnlyDictionary<string, long> Deleted);

/// <summary>
/// Enforces the retention schedule (docs/privacy/retention.md) once a day (<see cref="RetentionOptions.RunEvery"/>), on
/// one node of a fleet: the node that takes the lease keeps it for a day less ten minutes, so the others skip their
/// runs, and if it dies another takes over the next day. Each rule deletes in batches and commits each batch, so a run
/// cut short is finished by the next one; a failing rule is logged and the others still run. Counts go to the log
/// and, when anything went, to one audit entry (accounts erased get an entry each).
/// </summary>
internal sealed partial class RetentionJob(
    IServiceScopeFactory scopes, JobLeases leases, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger) : BackgroundService
{
    public const string Job = "privacy-retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogPaused(logger);
            return Task.CompletedTask;
        }
        return Periodically.RunAsync(options.Value.RunEvery, time, async ct => await RunOnceAsync(ct), e => LogFailed(logger, e), stoppingToken);
    }

    /// <summary>One run of every rule; null when another node holds the lease.</summary>
    public async Task<RetentionRun?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var every = options.Value.RunEvery;
        var lease = every > TimeSpan.FromMinutes(20) ? every - TimeSpan.FromMinutes(10) : every / 2;
        if (!await leases.TryAcquireAsync(db, Job, lease, cancellationToken))
        {
            return null;
        }
        var now = time.GetUtcNow();
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rule in scope.ServiceProvider.GetServices<IRetentionRule>())
        {
            try
            {
                var count = await rule.ApplyAsync(now, cancellationToken);
                deleted[rule.Name] = count;
                LogApplied(logger, rule.Name, count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Its open batch rolled back; whatever it tracked is dropped so the next rule starts clean.
                db.ChangeTracker.Clear();
                LogRuleFailed(logger, rule.Name, e);
            }
        }
        if (deleted.Values.Any(c => c > 0))
        {
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().RecordAsync(
                new AuditRecord(AuditActions.RetentionApplied, AuditActor.System, Detail: JsonSerializer.Serialize(deleted.Where(d => d.Value > 0).ToDictionary())), cancellationToken);
        }
        return new RetentionRun(deleted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention rule {Rule} deleted {Count}")]
    private static partial void LogApplied(ILogger logger, string rule, long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention rule {Rule} failed; the other rules ran, it runs again next time")]
    private static partial void LogRuleFailed(ILogger logger, string rule, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention job is paused (Privacy:Retention:Enabled is false): nothing past its retention is deleted")]
    private static partial void LogPaused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retention job failed; next try at its next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
