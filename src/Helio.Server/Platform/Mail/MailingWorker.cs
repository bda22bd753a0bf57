using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform.Mail;

/// <summary>
/// Turns mailings into outbox mails, one batch of users per transaction: no transaction holds a whole user base, and a
/// crash loses at most the batch in flight, which the next run redoes. One node at a time does it (a job lease); should
/// two ever overlap, the mailing's cursor is a concurrency token and the later commit of the same batch fails whole.
/// </summary>
internal sealed partial class MailingWorker(
    IServiceScopeFactory scopes,
    IOptions<MailOptions> options,
    JobLeases leases,
    MailingAudiences audiences,
    MailingSignal signal,
    TimeProvider time,
    ILogger<MailingWorker> logger) : BackgroundService
{
    public const int BatchSize = 200;
    private const string LeaseName = "mailings";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Jobs.WhileThereIsWork.RunAsync(RunBatchAsync, signal, () => options.Value.PollInterval, ex => LogBatchFailed(logger, ex), stoppingToken);

    /// <summary>Queues one batch of the oldest unfinished mailing; false when there was nothing to do (or another node has the lease).</summary>
    internal async Task<bool> RunBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (!await db.Mailings.AnyAsync(m => m.CompletedAt == null, cancellationToken) || !await leases.TryAcquireAsync(db, LeaseName, Lease, cancellationToken))
        {
            return false;
        }
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var mailing = await db.Mailings.Where(m => m.CompletedAt == null).OrderBy(m => m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (mailing is null)
        {
            return false;
        }
        var audience = audiences.Users(db, mailing.Audience);
        var users = db.Users.Where(u => u.EmailConfirmed && audience.Contains(u.Id));
        if (mailing.Cursor is { } cursor)
        {
            users = users.Where(u => u.Id.CompareTo(cursor) > 0);
        }
        var batch = await users.OrderBy(u => u.Id).Take(BatchSize).Select(u => new { u.Id, u.EmailCipher }).ToListAsync(cancellationToken);
        foreach (var user in batch)
        {
            var to = await protector.DecryptAsync(user.Id, UserStore.EmailField, user.EmailCipher, cancellationToken);
            await outbox.QueueAsync(user.Id, to, mailing.Template, mailing.Subject, mailing.Text, cancellationToken);
        }
        if (batch.Count > 0)
        {
            mailing.Cursor = batch[^1].Id;
            mailing.Queued += batch.Count;
        }
        if (batch.Count < BatchSize)
        {
            mailing.CompletedAt = time.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogBatch(logger, mailing.Id, mailing.Template, batch.Count, mailing.CompletedAt is not null);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailing {MailingId} ({Template}): {Count} mails queued; finished: {Finished}")]
    private static partial void LogBatch(ILogger logger, Guid mailingId, string template, int count, bool finished);

    [LoggerMessage(Level = LogLevel.Error, Message = "A mailing batch failed; it is retried")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
