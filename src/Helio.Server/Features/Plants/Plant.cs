using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Plants;

/// <summary>A power station. The street address is personal data and stored encrypted under the owner's key.</summary>
public sealed class Plant
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public required string Name { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public byte[]? AddressCipher { get; set; }
    public string? Country { get; set; }
    /// <summary>IANA time zone: days, rollups and charts are in the plant's local time.</summary>
    public required string TimeZone { get; set; }
    public double CapacityKwp { get; set; }
    public DateOnly? CommissioningDate { get; set; }
    public decimal? FeedInTariff { get; set; }
    public string? Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PlantConfiguration : IEntityTypeConfiguration<Plant>
{
    public void Configure(EntityTypeBuilder<Plant> builder)
    {
        builder.ToTable("plants");
        builder.HasKey(p => p.Id);
        // Id too: the list orders by name then id, and with it in the index the database reads a page in order, without sorting.
        builder.HasIndex(p => new { p.OwnerId, p.Name, p.Id });
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Country).HasMaxLength(2);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.FeedInTariff).HasPrecision(12, 6);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
