using Helio.Server.Features.Alarms;
using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// How a user wants to hear about alarms, for all their plants; <see cref="PlantNotificationSettings"/> overrides it per
/// plant. A user without a row gets the defaults: e-mail for warning and above, at once, no quiet hours.
/// </summary>
public sealed class NotificationSettings
{
    public Guid UserId { get; set; }
    public AlarmSeverity MinSeverity { get; set; } = AlarmSeverity.Warning;
    public bool Email { get; set; } = true;
    public bool Push { get; set; } = true;
    /// <summary>E-mail once a day (at <see cref="DigestHour"/>) instead of one per alarm; critical alarms still come at once.</summary>
    public bool DailyDigest { get; set; }
    public int DigestHour { get; set; } = 7;
    /// <summary>Local start and end of quiet hours (end may be before start: overnight); null: none. Critical alarms
    /// are not held.</summary>
    public TimeOnly? QuietFrom { get; set; }
    public TimeOnly? QuietUntil { get; set; }
    /// <summary>The IANA zone quiet hours and the digest hour are in.</summary>
    public string TimeZone { get; set; } = "UTC";
    public DateTimeOffset? LastDigestAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A user's choice for one plant: a different minimum severity, channels off, or the plant muted.</summary>
public sealed class PlantNotificationSettings
{
    public Guid UserId { get; set; }
    public Guid PlantId { get; set; }
    public AlarmSeverity MinSeverity { get; set; }
    public bool Email { get; set; } = true;
    public bool Push { get; set; } = true;
    public bool Muted { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>, IEntityTypeConfiguration<PlantNotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.ToTable("notification_settings");
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<PlantNotificationSettings> builder)
    {
        builder.ToTable("plant_notification_settings");
        builder.HasKey(s => new { s.UserId, s.PlantId });
        builder.HasIndex(s => s.PlantId);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Plant>().WithMany().HasForeignKey(s => s.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
