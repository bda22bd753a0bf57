using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// The ledger of who was (or will be) told about which alarm event on which channel. Unique per event, user, channel
/// and target, so a retried fan-out can never tell anyone twice; rows held by quiet hours or a rate limit wait here for
/// their time or the digest.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public Guid AlarmId { get; set; }
    public Guid UserId { get; set; }
    public NotificationChannel Channel { get; set; }
    /// <summary>The webhook or push subscription, for those channels; <see cref="Guid.Empty"/> for e-mail.</summary>
    public Guid TargetId { get; set; }
    public NotificationState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When a held notification may go (end of quiet hours).</summary>
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<NotificationChannel>))]
public enum NotificationChannel
{
    [JsonStringEnumMemberName("email")] Email = 1,
    [JsonStringEnumMemberName("push")] Push = 2,
    [JsonStringEnumMemberName("webhook")] Webhook = 3,
}

[JsonConverter(typeof(JsonStringEnumConverter<NotificationState>))]
public enum NotificationState
{
    /// <summary>Handed to its channel (the mail outbox, a delivery).</summary>
    [JsonStringEnumMemberName("sent")] Sent = 1,
    /// <summary>Waiting for the end of quiet hours.</summary>
    [JsonStringEnumMemberName("held")] Held = 2,
    /// <summary>For the next daily digest (chosen, or over a rate limit).</summary>
    [JsonStringEnumMemberName("digest")] ForDigest = 3,
    /// <summary>Went out in a digest.</summary>
    [JsonStringEnumMemberName("digested")] Digested = 4,
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedOnAdd();
        builder.HasIndex(n => new { n.EventId, n.UserId, n.Channel, n.TargetId }).IsUnique();
        // Rate limits count a user's recent notifications; the digest and quiet hours look for held ones.
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.HasIndex(n => new { n.State, n.DueAt });
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Alarms.Alarm>().WithMany().HasForeignKey(n => n.AlarmId).OnDelete(DeleteBehavior.Cascade);
    }
}
