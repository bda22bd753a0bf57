using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>
/// The outbox keeps that a mail was sent or given up on (its content is dropped on sending) for
/// <see cref="RetentionOptions.MailOutboxDays"/>; then the row goes. Without SMTP, mails are written as .eml files to
/// the data directory's mail-outbox/ in plaintext: those go after the same time.
/// </summary>
internal sealed class SentMail(HelioDbContext db, IOptions<RetentionOptions> options, IOptions<HelioOptions> helio) : IRetentionRule
{
    public string Name => "mail-outbox";

    public async Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.MailOutboxDays);
        var (size, batches) = (options.Value.BatchSize, options.Value.MaxBatchesPerRun);
        var rows = await RetentionBatches.DeleteAsync(db.OutboxMails.Where(m => m.SentAt < cutoff || m.FailedAt < cutoff).OrderBy(m => m.Id), size, batches, cancellationToken);
        return rows + FileSweep.DeleteOlderThan(helio.Value.DataPath("mail-outbox"), cutoff, size * batches);
    }
}
