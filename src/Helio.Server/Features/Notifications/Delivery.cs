using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// One HTTP delivery to a webhook or a push service, retried with exponential backoff; after the last attempt it is
/// dead (the dead-letter list the owner sees and can replay). Kept as the delivery log.
/// </summary>
public sealed class Delivery
{
    public Guid Id { get; set; }
    public NotificationChannel Channel { get; set; }
    /// <summary>The webhook or push subscription.</summary>
    public Guid TargetId { get; set; }
    public Guid UserId { get; set; }
    /// <summary>The alarm event it tells of; null for a test sent from the settings page.</summary>
    public long? EventId { get; set; }
    /// <summary>The JSON body (about equipment, never about a person).</summary>
    public required string Payload { get; set; }
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public Guid? LeaseOwner { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    [JsonStringEnumMemberName("pending")] Pending = 1,
    [JsonStringEnumMemberName("delivered")] Delivered = 2,
    [JsonStringEnumMemberName("dead")] Dead = 3,
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
        builder.HasIndex(d => new { d.TargetId, d.CreatedAt });
        builder.HasIndex(d => new { d.UserId, d.State });
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
