using Helio.Server.Features.Alarms;
using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// An HTTPS endpoint of the user's that receives their alarms as signed JSON. The URL (which often carries a token)
/// and the signing secret are encrypted under the user's key.
/// </summary>
public sealed class Webhook
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>Only this plant's alarms; null: all the user's plants.</summary>
    public Guid? PlantId { get; set; }
    public required string Name { get; set; }
    public byte[]? UrlCipher { get; set; }
    public byte[]? SecretCipher { get; set; }
    public AlarmSeverity MinSeverity { get; set; } = AlarmSeverity.Warning;
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A browser's Web Push subscription (RFC 8030/8291): where to post and the keys to encrypt for it.</summary>
public sealed class PushSubscription
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>The push service URL, encrypted (it identifies the browser).</summary>
    public byte[]? EndpointCipher { get; set; }
    /// <summary>SHA-256 of the endpoint: the same browser subscribing twice updates its row.</summary>
    public required byte[] EndpointHash { get; set; }
    public required string P256dh { get; set; }
    public required string Auth { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>, IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Name).HasMaxLength(100);
        builder.HasIndex(w => w.UserId);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Plant>().WithMany().HasForeignKey(w => w.PlantId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<PushSubscription> builder)
    {
        builder.ToTable("push_subscriptions");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.UserId);
        builder.HasIndex(s => s.EndpointHash).IsUnique();
        builder.Property(s => s.EndpointHash).HasMaxLength(32);
        builder.Property(s => s.P256dh).HasMaxLength(200);
        builder.Property(s => s.Auth).HasMaxLength(100);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
