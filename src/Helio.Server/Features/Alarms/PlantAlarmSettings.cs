using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// A plant's own alarm thresholds; a plant without a row uses the defaults in <see cref="AlarmsOptions"/>, and so does
/// a threshold of 0 (<see cref="Inherit"/>). The underperformance check keeps its checked day here, and a plant it has
/// to create a row for gets 0s rather than copies of today's defaults: a copy would freeze them, and a later change of
/// the configured defaults would silently pass that plant by. The API refuses 0 (1 to 100, 1 to a week), so 0 never
/// means anything but "the default".
/// </summary>
public sealed class PlantAlarmSettings
{
    /// <summary>The threshold value that means "the default of <see cref="AlarmsOptions"/>".</summary>
    public const int Inherit = 0;

    public Guid PlantId { get; set; }
    /// <summary>Flag a day whose yield is below this share (%) of what was expected; <see cref="Inherit"/>: the default.</summary>
    public int UnderperformancePercent { get; set; }
    /// <summary>An inverter or logger silent (in daylight, for inverters) this many minutes is offline; <see cref="Inherit"/>: the default.</summary>
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
