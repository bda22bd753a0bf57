using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The requests' daily job, one node at a time (a lease): it mails the privacy officers about every open request due
/// within <see cref="PrivacyRequestsOptions.ReminderDaysBefore"/> days (overdue ones included) that they have not been
/// reminded of for its current due date, and stores as expired every request whose identity check was not done within
/// <see cref="PrivacyRequestsOptions.UnverifiedRequestLifetime"/>. Each request is claimed by a conditional update before
/// it is mailed about or expired, so a second run — on this node or another, at the same time or later — finds nothing
/// left to do; an extension moves the due date and so re-arms the reminder.
/// </summary>
internal sealed partial class RequestReminders(
    IServiceScopeFactory scopes, JobLeases leases, TimeProvider time, IOptions<PrivacyRequestsOptions> options, ILogger<RequestReminders> logger) : BackgroundService
{
    private const string Job = "privacy-request-reminders";
    /// <summary>Per run; more wait for the next run (a fleet has nowhere near as many open requests).</summary>
    private const int Batch = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(options.Value.ReminderInterval, time, async ct => await RunOnceAsync(ct), e => LogFailed(logger, e), stoppingToken);

    /// <summary>Returns the requests reminded of and expired in this run; (-1, -1) when another node holds the lease.</summary>
    public async Task<(int Reminded, int Expired)> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (!await leases.TryAcquireAsync(db, Job, TimeSpan.FromMinutes(30), cancellationToken))
        {
            return (-1, -1);
        }
        var reminded = await RemindAsync(db, scope.ServiceProvider.GetRequiredService<RequestMails>(), cancellationToken);
        var expired = await ExpireAsync(db, scope.ServiceProvider.GetRequiredService<RequestHistory>(), cancellationToken);
        if (reminded > 0 || expired > 0)
        {
            LogRun(logger, reminded, expired);
        }
        return (reminded, expired);
    }

    private async Task<int> RemindAsync(HelioDbContext db, RequestMails mails, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Due within N days: the due date itself no more than N days from today (DueAt is the midnight after it).
        var horizon = now.AddDays(options.Value.ReminderDaysBefore + 1);
        var due = await db.PrivacyRequests.AsNoTracking()
            .Where(r => (r.State == RequestState.Verified || r.State == RequestState.InProgress) && r.DueAt <= horizon
                && (r.RemindedForDueAt == null || r.RemindedForDueAt != r.DueAt))
            .OrderBy(r => r.DueAt).Take(Batch).ToListAsync(cancellationToken);
        var claimed = new List<PrivacyRequest>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var request in due)
        {
            var dueAt = request.DueAt;
            if (await db.PrivacyRequests.Where(r => r.Id == request.Id && r.DueAt == dueAt && (r.RemindedForDueAt == null || r.RemindedForDueAt != dueAt))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.RemindedForDueAt, dueAt), cancellationToken) == 1)
            {
                claimed.Add(request);
            }
        }
        if (claimed.Count > 0)
        {
            await mails.ReminderAsync(claimed, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    private async Task<int> ExpireAsync(HelioDbContext db, RequestHistory history, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var before = now - options.Value.UnverifiedRequestLifetime;
        var stale = await db.PrivacyRequests.AsNoTracking().Where(r => r.State == RequestState.Received && r.ReceivedAt <= before)
            .OrderBy(r => r.ReceivedAt).Take(Batch).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var request in stale)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.PrivacyRequests.Where(r => r.Id == request.Id && r.State == RequestState.Received)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RequestState.Expired).SetProperty(r => r.ClosedAt, now)
                        .SetProperty(r => r.CodeHash, (byte[]?)null).SetProperty(r => r.CodeExpiresAt, (DateTimeOffset?)null), cancellationToken) == 0)
            {
                continue;
            }
            await history.AppendAsync(request, RequestEventKind.Expired, null, now, AuditActions.PrivacyRequestExpired, cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            expired++;
        }
        return expired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy requests: reminded of {Reminded}, expired {Expired}")]
    private static partial void LogRun(ILogger logger, int reminded, int expired);

    [LoggerMessage(Level = LogLevel.Error, Message = "The privacy requests' reminder job failed; next try at its next run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
