using System.Text.Json.Serialization;
using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Devices;

/// <summary>An inverter or data logger bound to a plant by its serial number, which is unique platform-wide.</summary>
public sealed class Device
{
    public Guid Id { get; set; }
    public required string SerialNumber { get; set; }
    public DeviceKind Kind { get; set; }
    public string? Model { get; set; }
    public Guid PlantId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DeviceKind>))]
public enum DeviceKind
{
    [JsonStringEnumMemberName("inverter")] Inverter = 1,
    [JsonStringEnumMemberName("logger")] Logger = 2,
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("devices");
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => d.SerialNumber).IsUnique();
        builder.HasIndex(d => d.PlantId);
        builder.Property(d => d.SerialNumber).HasMaxLength(32);
        builder.Property(d => d.Model).HasMaxLength(64);
        builder.HasOne<Plant>().WithMany().HasForeignKey(d => d.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
