using System.Text.Json;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;

namespace Helio.Server.Platform.Mail;

/// <summary>
/// Queues mails in the database, in the caller's unit of work: a mail is sent if and only if the change
/// that caused it commits. The <see cref="MailOutboxWorker"/> delivers it.
/// </summary>
public sealed class MailOutbox(HelioDbContext db, PersonalDataProtector protector, TimeProvider time, MailSignal signal)
{
    public const string MessageField = "outbox_mails.message";

    /// <summary>Adds the mail to the unit of work; it goes out after the caller's SaveChanges.</summary>
    public async Task QueueAsync(Guid userId, string to, string template, string subject, string text, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Serialize(new MailContent(to, subject, text));
        var now = time.GetUtcNow();
        db.OutboxMails.Add(new OutboxMail
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Template = template,
            MessageCipher = await protector.EncryptAsync(userId, MessageField, message, cancellationToken),
            CreatedAt = now,
            NextAttemptAt = now,
        });
        signal.Pulse();
    }
}

public sealed record MailContent(string To, string Subject, string Text);

/// <summary>Wakes the mail worker on this node right after a mail is queued, instead of at the next poll.</summary>
public sealed class MailSignal : Jobs.WakeSignal;
