using System.Text.Json;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Helio.Server.Platform.Mail;

/// <summary>
/// Delivers queued mails with retries and exponential backoff. Several nodes may run it: each claims a
/// batch with a lease (an UPDATE that only one node can win), so a mail goes out once.
/// </summary>
internal sealed partial class MailOutboxWorker(
    IServiceScopeFactory scopes,
    IOptions<MailOptions> options,
    IOptions<HelioOptions> helio,
    MailSignal signal,
    TimeProvider time,
    ILogger<MailOutboxWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Jobs.WhileThereIsWork.RunAsync(async ct => await DeliverBatchAsync(ct) == BatchSize, signal, () => options.Value.PollInterval, ex => LogBatchFailed(logger, ex), stoppingToken);

    /// <summary>Delivers one batch of due mails; returns how many were claimed.</summary>
    internal async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var now = time.GetUtcNow();
        var claim = Guid.NewGuid();
        var claimed = await db.OutboxMails
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Take(BatchSize)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, claim).SetProperty(m => m.LeaseUntil, now + Lease), cancellationToken);
        if (claimed == 0)
        {
            return 0;
        }
        var mails = await db.OutboxMails.Where(m => m.LeaseOwner == claim).ToListAsync(cancellationToken);
        using var smtp = new SmtpClient();
        foreach (var mail in mails)
        {
            try
            {
                var content = JsonSerializer.Deserialize<MailContent>(await protector.DecryptAsync(mail.UserId, MailOutbox.MessageField, mail.MessageCipher!, cancellationToken))!;
                await SendAsync(smtp, mail.Id, content, cancellationToken);
                mail.SentAt = time.GetUtcNow();
                mail.MessageCipher = null;
                mail.LastError = null;
                LogSent(logger, mail.Id, mail.Template);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                mail.Attempts++;
                // Only the error's kind and SMTP status: server replies often quote the recipient address.
                mail.LastError = ex is SmtpCommandException smtpError ? $"SMTP {(int)smtpError.StatusCode} {smtpError.ErrorCode}" : ex.GetType().Name;
                if (mail.Attempts >= options.Value.MaxAttempts)
                {
                    mail.FailedAt = time.GetUtcNow();
                    LogGaveUp(logger, mail.Id, mail.Template, mail.Attempts, mail.LastError);
                }
                else
                {
                    mail.NextAttemptAt = time.GetUtcNow() + Backoff(mail.Attempts);
                    LogRetry(logger, mail.Id, mail.Template, mail.Attempts, mail.LastError);
                }
            }
            mail.LeaseOwner = null;
            mail.LeaseUntil = null;
        }
        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(true, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return claimed;
    }

    /// <summary>30 s, 1 min, 2 min, … capped at one hour.</summary>
    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, attempts - 1)));

    private async Task SendAsync(SmtpClient smtp, Guid id, MailContent content, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(content.To));
        message.Subject = content.Subject;
        message.MessageId = $"{id:N}@helio";
        message.Body = new TextPart("plain") { Text = content.Text };

        var settings = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var directory = helio.Value.DataPath("mail-outbox");
            Directory.CreateDirectory(directory);
            // Written under a temporary name and renamed, so that whatever picks up *.eml never reads half a mail.
            var path = Path.Combine(directory, $"{time.GetUtcNow():yyyyMMdd'T'HHmmss}-{id:N}.eml");
            await message.WriteToAsync(path + ".partial", cancellationToken);
            File.Move(path + ".partial", path, overwrite: true);
            return;
        }
        if (!smtp.IsConnected)
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await smtp.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }
        }
        await smtp.SendAsync(message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {MailId} ({Template}) delivered")]
    private static partial void LogSent(ILogger logger, Guid mailId, string template);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} ({Template}) attempt {Attempts} failed: {Error}; will retry")]
    private static partial void LogRetry(ILogger logger, Guid mailId, string template, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} ({Template}) failed after {Attempts} attempts: {Error}; giving up")]
    private static partial void LogGaveUp(ILogger logger, Guid mailId, string template, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail outbox batch failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
