using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Platform.Mail;

/// <summary>
/// One text for many users (a policy-change notice, an announcement). <see cref="MailingWorker"/> walks the audience
/// in user-id order, a batch per transaction, queuing each mail in the outbox and moving <see cref="Cursor"/> past the
/// batch in the same commit. The cursor is a concurrency token, so two nodes can never queue the same batch twice.
/// Nothing here is personal: the text is the same for everyone, the addresses are read at queuing time.
/// </summary>
public sealed class Mailing
{
    public Guid Id { get; set; }
    /// <summary>The outbox template of each mail, e.g. "policy-notice": safe to log.</summary>
    public required string Template { get; set; }
    /// <summary>Who gets it: a name registered with <see cref="MailingAudiences"/>.</summary>
    public required string Audience { get; set; }
    public required string Subject { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The staff member who caused it (null for the system).</summary>
    public Guid? CreatedBy { get; set; }
    /// <summary>The last user id queued for (users are walked in id order); null before the first batch.</summary>
    public Guid? Cursor { get; set; }
    public int Queued { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class MailingConfiguration : IEntityTypeConfiguration<Mailing>
{
    public const int MaxSubjectLength = 200;
    public const int MaxTextLength = 20_000;

    public void Configure(EntityTypeBuilder<Mailing> builder)
    {
        builder.ToTable("mailings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Template).HasMaxLength(64);
        builder.Property(m => m.Audience).HasMaxLength(64);
        builder.Property(m => m.Subject).HasMaxLength(MaxSubjectLength);
        builder.Property(m => m.Text).HasMaxLength(MaxTextLength);
        builder.Property(m => m.Cursor).IsConcurrencyToken();
        builder.HasIndex(m => new { m.CompletedAt, m.CreatedAt });
        builder.HasOne<Features.Accounts.User>().WithMany().HasForeignKey(m => m.CreatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
