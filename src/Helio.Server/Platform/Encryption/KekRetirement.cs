using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// "A data key wrapped by this KEK was shredded at this time": while the KEK exists, a backup taken before that erasure
/// still unwraps the shredded key, so the KEK must be destroyed (ADR 0027). Written by
/// <see cref="PersonalDataProtector.ShredAsync"/> in the erasure's own transaction, so no erasure can commit without
/// it; removed by <see cref="KeyRotation"/> once the KEK is gone. One row per erasure and KEK, no unique key: two
/// erasures on two nodes never conflict. Holds no user id.
/// </summary>
public sealed class KekRetirement
{
    public Guid Id { get; set; }
    public required string KekId { get; set; }
    public DateTimeOffset DueSince { get; set; }
}

internal sealed class KekRetirementConfiguration : IEntityTypeConfiguration<KekRetirement>
{
    public void Configure(EntityTypeBuilder<KekRetirement> builder)
    {
        builder.ToTable("kek_retirements");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.KekId).HasMaxLength(64);
        builder.HasIndex(r => r.KekId);
    }
}
