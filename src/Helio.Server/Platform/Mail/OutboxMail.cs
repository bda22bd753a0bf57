using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Platform.Mail;

/// <summary>
/// A mail waiting to go out. Recipient, subject and body are one ciphertext under the recipient's data
/// key; once sent, it is dropped, so the table keeps only the fact that a mail was delivered.
/// </summary>
public sealed class OutboxMail
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>What kind of mail (e.g. "confirm-email"): safe to log, unlike the content.</summary>
    public required string Template { get; set; }
    public byte[]? MessageCipher { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public Guid? LeaseOwner { get; set; }
}

internal sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> builder)
    {
        builder.ToTable("outbox_mails");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Template).HasMaxLength(64);
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.HasIndex(m => new { m.SentAt, m.FailedAt, m.NextAttemptAt });
    }
}
