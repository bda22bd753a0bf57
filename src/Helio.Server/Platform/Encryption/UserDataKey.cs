using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// A user's data-encryption key, stored only wrapped (AES-256-GCM) by a key-encryption key.
/// Deleting this row crypto-shreds every ciphertext made under it, wherever copies of it went.
/// </summary>
public sealed class UserDataKey
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string KekId { get; set; }
    public required byte[] WrappedKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class UserDataKeyConfiguration : IEntityTypeConfiguration<UserDataKey>
{
    public void Configure(EntityTypeBuilder<UserDataKey> builder)
    {
        builder.ToTable("user_data_keys");
        builder.HasKey(k => k.Id);
        builder.HasIndex(k => k.UserId).IsUnique();
        builder.Property(k => k.KekId).HasMaxLength(64);
    }
}
