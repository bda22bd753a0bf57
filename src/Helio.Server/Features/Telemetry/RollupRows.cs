using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// What a rollup keeps of a period (<see cref="RollupLevel"/>): energy and power, and for hybrid inverters the
/// average flows. Integers (Wh, W, 0.1 %), like reading rows, so a year of 5-minute rollups stays small.
/// </summary>
public abstract class RollupRow
{
    public RollupLevel Level { get; set; }
    /// <summary>The period's key (<see cref="LocalPeriods"/>): UTC ms of its start for 5 minutes and hours,
    /// yyyymmdd, yyyymm or yyyy of the plant's local calendar for days, months and years.</summary>
    public long Period { get; set; }
    public long EnergyWh { get; set; }
    public int PowerAvgW { get; set; }
    public int PowerMaxW { get; set; }
    /// <summary>Readings behind the figures (for 5 minutes) or child periods with data (above).</summary>
    public int Samples { get; set; }
    public int? PvAvgW { get; set; }
    public int? LoadAvgW { get; set; }
    public int? GridAvgW { get; set; }
    public int? BatteryAvgW { get; set; }
    public int? SocPermille { get; set; }
}

/// <summary>A device's figures for one period.</summary>
public sealed class DeviceRollup : RollupRow
{
    public int Device { get; set; }
}

/// <summary>A plant's figures for one period: the sum of its devices' (power curve and energy bars read these).</summary>
public sealed class PlantRollup : RollupRow
{
    public Guid PlantId { get; set; }
}

/// <summary>
/// A 5-minute bucket with new readings whose rollups are out of date: written in the same transaction as the
/// readings, so no stored reading is ever missed. One mark per bucket, not per device: a batch from a whole fleet
/// touches one or two buckets, so marking costs the writer next to nothing. <see cref="Token"/> changes with every
/// mark, so the rollup worker deletes a mark only if no newer reading came in while it computed.
/// </summary>
public sealed class RollupDirty
{
    public long Bucket { get; set; }
    public long Token { get; set; }
}

internal sealed class RollupConfiguration : IEntityTypeConfiguration<DeviceRollup>, IEntityTypeConfiguration<PlantRollup>, IEntityTypeConfiguration<RollupDirty>
{
    public void Configure(EntityTypeBuilder<DeviceRollup> builder)
    {
        builder.ToTable("device_rollups");
        builder.HasKey(r => new { r.Device, r.Level, r.Period });
    }

    public void Configure(EntityTypeBuilder<PlantRollup> builder)
    {
        builder.ToTable("plant_rollups");
        builder.HasKey(r => new { r.PlantId, r.Level, r.Period });
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(r => r.PlantId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RollupDirty> builder)
    {
        builder.ToTable("rollup_dirty");
        builder.HasKey(r => r.Bucket);
        builder.Property(r => r.Bucket).ValueGeneratedNever();
    }
}
