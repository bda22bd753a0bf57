using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The raw <c>readings</c> table as LINQ sees it: the key and the columns that rollups and housekeeping read, in
/// stored units (<see cref="MetricColumns"/>). The table itself is created by hand-written SQL in the migrations
/// (WITHOUT ROWID on SQLite, partitioned on PostgreSQL: neither is in EF's vocabulary) and written only by the
/// stores; the raw-readings API reads every column with plain SQL.
/// </summary>
public sealed class StoredReading
{
    public int Device { get; set; }
    /// <summary>Unix milliseconds.</summary>
    public long At { get; set; }
    public short State { get; set; }
    public string? Faults { get; set; }
    /// <summary>W.</summary>
    public int? ActivePowerW { get; set; }
    /// <summary>0.01 kWh.</summary>
    public int? EnergyToday { get; set; }
    /// <summary>0.01 kWh.</summary>
    public long? EnergyTotal { get; set; }
    public int? PvPowerW { get; set; }
    public int? LoadPowerW { get; set; }
    public int? GridPowerW { get; set; }
    public int? BatteryPowerW { get; set; }
    /// <summary>0.1 %.</summary>
    public int? BatterySocPermille { get; set; }
}

internal sealed class StoredReadingConfiguration : IEntityTypeConfiguration<StoredReading>
{
    public void Configure(EntityTypeBuilder<StoredReading> builder)
    {
        builder.ToTable(ReadingRows.Table, t => t.ExcludeFromMigrations());
        builder.HasKey(r => new { r.Device, r.At });
        builder.Property(r => r.Device).HasColumnName("device");
        builder.Property(r => r.At).HasColumnName("at");
        builder.Property(r => r.State).HasColumnName("state");
        builder.Property(r => r.Faults).HasColumnName("faults");
        builder.Property(r => r.ActivePowerW).HasColumnName("active_power_w");
        builder.Property(r => r.EnergyToday).HasColumnName("energy_today_kwh");
        builder.Property(r => r.EnergyTotal).HasColumnName("energy_total_kwh");
        builder.Property(r => r.PvPowerW).HasColumnName("pv_power_w");
        builder.Property(r => r.LoadPowerW).HasColumnName("load_power_w");
        builder.Property(r => r.GridPowerW).HasColumnName("grid_power_w");
        builder.Property(r => r.BatteryPowerW).HasColumnName("battery_power_w");
        builder.Property(r => r.BatterySocPermille).HasColumnName("battery_state_of_charge_percent");
    }
}
