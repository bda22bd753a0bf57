using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>A plant's own alarm thresholds; a plant without a row uses the defaults in <see cref="AlarmsOptions"/>.</summary>
public sealed class PlantAlarmSettings
{
    public Guid PlantId { get; set; }
    /// <summary>Flag a day whose yield is below this share (%) of what was expected.</summary>
    public int UnderperformancePercent { get; set; }
    /// <summary>An inverter or logger silent (in daylight, for inverters) this many minutes is offline.</summary>
    public int OfflineAfterMinutes { get; set; }
    /// <summary>The last local day the underperformance check has judged, so each day is judged once.</summary>
    public DateOnly? UnderperformanceCheckedDay { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PlantAlarmSettingsConfiguration : IEntityTypeConfiguration<PlantAlarmSettings>
{
    public void Configure(EntityTypeBuilder<PlantAlarmSettings> builder)
    {
        builder.ToTable("plant_alarm_settings");
        builder.HasKey(s => s.PlantId);
        builder.HasOne<Plant>().WithMany().HasForeignKey(s => s.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
