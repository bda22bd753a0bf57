using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Audit;

/// <summary>
/// Where the trail starts after its oldest entries were removed for retention (ADR 0024): <see cref="Seq"/> and
/// <see cref="Hash"/> of the last removed entry, which the first kept entry's PrevHash must equal. The verifier starts
/// from the newest checkpoint instead of from entry 1 and the genesis hash. <see cref="Signature"/> is an HMAC under a
/// key derived from the deployment's blind-index key, which lives outside the database: someone who can write the
/// table but not read the key files cannot move the start forward to hide removed entries.
/// </summary>
public sealed class AuditCheckpoint
{
    public long Seq { get; set; }
    public required byte[] Hash { get; set; }
    /// <summary>Entries removed up to this checkpoint since the one before.</summary>
    public long Removed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required byte[] Signature { get; set; }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("audit_checkpoints");
        builder.HasKey(c => c.Seq);
        builder.Property(c => c.Seq).ValueGeneratedNever();
        builder.Property(c => c.Hash).HasMaxLength(AuditChain.HashLength);
        builder.Property(c => c.Signature).HasMaxLength(32);
    }
}

/// <summary>Signs and checks checkpoints.</summary>
public sealed class AuditCheckpointSigner(KeyRing keys)
{
    private readonly byte[] key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.BlindIndexKey, 32, info: "helio:audit-checkpoint:v1"u8.ToArray());

    public byte[] Sign(long seq, byte[] hash) => HMACSHA256.HashData(key, Message(seq, hash));

    public bool IsValid(AuditCheckpoint checkpoint) =>
        CryptographicOperations.FixedTimeEquals(Sign(checkpoint.Seq, checkpoint.Hash), checkpoint.Signature);

    private static byte[] Message(long seq, byte[] hash) =>
        Encoding.UTF8.GetBytes($"helio:audit-checkpoint:v1:{seq.ToString(CultureInfo.InvariantCulture)}:{Convert.ToHexStringLower(hash)}");
}
