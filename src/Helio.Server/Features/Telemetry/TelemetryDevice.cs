using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The compact number a device's readings and rollups are keyed by: two small integers make a row key where a
/// 14-character serial would triple it. Numbered on first data, registered or not, and never reused.
/// </summary>
public sealed class TelemetryDevice
{
    public int Number { get; set; }
    public required string Serial { get; set; }
    /// <summary>The logger it was last heard through (10 digits), or null for data from an ingest API.</summary>
    public string? LoggerSerial { get; set; }
}

internal sealed class TelemetryDeviceConfiguration : IEntityTypeConfiguration<TelemetryDevice>
{
    public void Configure(EntityTypeBuilder<TelemetryDevice> builder)
    {
        builder.ToTable("telemetry_devices");
        builder.HasKey(d => d.Number);
        builder.Property(d => d.Number).ValueGeneratedOnAdd();
        builder.Property(d => d.Serial).HasMaxLength(32);
        builder.Property(d => d.LoggerSerial).HasMaxLength(10);
        builder.HasIndex(d => d.Serial).IsUnique();
        builder.HasIndex(d => d.LoggerSerial);
    }
}
