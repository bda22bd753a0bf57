using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>
/// A verified deletion request waiting for <see cref="DeletionJob"/>: first the recipients are told and the requester
/// gets the final confirmation (<see cref="NoticesSentAt"/> set), then, once those have gone out, the account is
/// erased. The row cascades from the user, so the erasure itself removes it.
/// </summary>
public sealed class AccountDeletion
{
    public Guid RequestId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    /// <summary>When the notices and the final confirmation were queued; null until then.</summary>
    public DateTimeOffset? NoticesSentAt { get; set; }
}

/// <summary>
/// A cancelled account in its grace period (ADR 0026). Signing in deletes the row (the cancellation is withdrawn);
/// after <c>Privacy:Retention:CancelledAccountGraceDays</c> the daily retention job erases the account, and the row
/// cascades with the user.
/// </summary>
public sealed class AccountCancellation
{
    public Guid UserId { get; set; }
    /// <summary>The cancellation request whose verification made it take effect.</summary>
    public Guid RequestId { get; set; }
    public DateTimeOffset CancelledAt { get; set; }
}

internal sealed class DeletionConfiguration : IEntityTypeConfiguration<AccountDeletion>, IEntityTypeConfiguration<AccountCancellation>
{
    public void Configure(EntityTypeBuilder<AccountDeletion> builder)
    {
        builder.ToTable("account_deletions");
        builder.HasKey(d => d.RequestId);
        builder.HasIndex(d => d.UserId);
        builder.HasIndex(d => d.QueuedAt);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<AccountCancellation> builder)
    {
        builder.ToTable("account_cancellations");
        builder.HasKey(c => c.UserId);
        // The retention job's query: the oldest cancellations first.
        builder.HasIndex(c => c.CancelledAt);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
