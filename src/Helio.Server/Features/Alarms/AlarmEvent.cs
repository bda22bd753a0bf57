using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// One step in an alarm's history (raised, repeated, acknowledged, cleared, reopened, closed, review asked). The steps
/// people are told about wait here for the notifier (<see cref="NotifiedAt"/> null), written in the same transaction
/// as the change: a notification goes out if and only if the change committed.
/// </summary>
public sealed class AlarmEvent
{
    public long Id { get; set; }
    public Guid AlarmId { get; set; }
    public AlarmEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Who did it, for the steps people take; null for the system.</summary>
    public Guid? ActorId { get; set; }
    public string? Detail { get; set; }
    /// <summary>Null while the notifier still has to look at it; set once it has (sent, queued or nobody to tell).</summary>
    public DateTimeOffset? NotifiedAt { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<AlarmEventKind>))]
public enum AlarmEventKind
{
    [JsonStringEnumMemberName("raised")] Raised = 1,
    [JsonStringEnumMemberName("repeated")] Repeated = 2,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged = 3,
    [JsonStringEnumMemberName("cleared")] Cleared = 4,
    [JsonStringEnumMemberName("reopened")] Reopened = 5,
    [JsonStringEnumMemberName("closed")] Closed = 6,
    [JsonStringEnumMemberName("flapping")] Flapping = 7,
    [JsonStringEnumMemberName("review-requested")] ReviewRequested = 8,
}

internal sealed class AlarmEventConfiguration : IEntityTypeConfiguration<AlarmEvent>
{
    public void Configure(EntityTypeBuilder<AlarmEvent> builder)
    {
        builder.ToTable("alarm_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.HasIndex(e => new { e.AlarmId, e.Id });
        // The notifier's queue: only the few rows still waiting are in it.
        builder.HasIndex(e => e.Id).HasFilter("\"NotifiedAt\" IS NULL").HasDatabaseName("IX_alarm_events_waiting");
        builder.HasOne<Alarm>().WithMany().HasForeignKey(e => e.AlarmId).OnDelete(DeleteBehavior.Cascade);
    }
}
