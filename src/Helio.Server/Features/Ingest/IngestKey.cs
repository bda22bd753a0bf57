using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// A key that lets one program (a LAN collector, a script, an MQTT bridge) send readings for one plant. Only the
/// SHA-256 of the secret is stored: the key is shown once, when created or rotated.
/// </summary>
public sealed class IngestKey
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key ("hik_AbCdEf"), so the owner can tell keys apart without the secret.</summary>
    public required string Prefix { get; set; }

    public required byte[] Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class IngestKeyConfiguration : IEntityTypeConfiguration<IngestKey>
{
    public void Configure(EntityTypeBuilder<IngestKey> builder)
    {
        builder.ToTable("ingest_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(IngestKeySecrets.MaxNameLength);
        builder.Property(k => k.Prefix).HasMaxLength(IngestKeySecrets.PrefixLength);
        builder.Property(k => k.Hash).HasMaxLength(32);
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.HasIndex(k => k.PlantId);
        builder.HasOne<Plant>().WithMany().HasForeignKey(k => k.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
