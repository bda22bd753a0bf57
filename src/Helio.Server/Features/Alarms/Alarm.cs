using System.Text.Json.Serialization;
using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Something wrong with a plant or one of its devices, from the moment it was raised until someone closes it. At most
/// one alarm per plant, device, source and code is open at a time (<see cref="OpenKey"/>): a repeat counts on it
/// instead of raising another. Every alarm is an automated decision, so it keeps the rule, inputs and thresholds that
/// raised it (<see cref="Explanation"/>).
/// </summary>
public sealed class Alarm
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    /// <summary>The inverter or logger it is about, or null for the plant as a whole (underperformance).</summary>
    public string? DeviceSerial { get; set; }
    public AlarmSource Source { get; set; }
    /// <summary>What within the source: "ID05" for a fault, "inverter-offline", a rule's id …</summary>
    public required string Code { get; set; }
    public AlarmSeverity Severity { get; set; }
    public AlarmState State { get; set; }
    /// <summary>A line a person understands, e.g. "Leakage current fault".</summary>
    public required string Title { get; set; }
    /// <summary>What to do about it, from the register map or the rule.</summary>
    public string? Action { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    /// <summary>The last time the condition was seen (raised again, or still there).</summary>
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>How many times the condition began while this alarm was open (1 when raised).</summary>
    public int Occurrences { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public DateTimeOffset? ClearedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>Flapping: the condition came back too often; the alarm stays open and quiet until it has been stable.</summary>
    public DateTimeOffset? QuietUntil { get; set; }
    /// <summary>"{plant}/{device}/{source}/{code}" while open, null once closed: unique, so two nodes cannot open the same alarm twice.</summary>
    public string? OpenKey { get; set; }
    /// <summary>JSON of <see cref="AlarmExplanation"/>.</summary>
    public required string Explanation { get; set; }
    /// <summary>Optimistic concurrency: the evaluator, the notifier and a user acknowledging may touch the same row.</summary>
    public int Version { get; set; }

    public bool IsActive => State is AlarmState.Raised or AlarmState.Acknowledged;

    public static string KeyOf(Guid plantId, string? deviceSerial, AlarmSource source, string code) =>
        $"{plantId:N}/{deviceSerial}/{(int)source}/{code}";
}

[JsonConverter(typeof(JsonStringEnumConverter<AlarmSource>))]
public enum AlarmSource
{
    [JsonStringEnumMemberName("fault")] Fault = 1,
    [JsonStringEnumMemberName("offline")] Offline = 2,
    [JsonStringEnumMemberName("underperformance")] Underperformance = 3,
    [JsonStringEnumMemberName("communication")] Communication = 4,
    [JsonStringEnumMemberName("rule")] Rule = 5,
}

/// <summary>Ordered: a preference "warning and above" compares numerically.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmSeverity>))]
public enum AlarmSeverity
{
    [JsonStringEnumMemberName("info")] Info = 1,
    [JsonStringEnumMemberName("warning")] Warning = 2,
    [JsonStringEnumMemberName("major")] Major = 3,
    [JsonStringEnumMemberName("critical")] Critical = 4,
}

/// <summary>raised → acknowledged → cleared → closed. Cleared before anyone acknowledged it, it waits for an
/// acknowledgement, which then closes it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmState>))]
public enum AlarmState
{
    [JsonStringEnumMemberName("raised")] Raised = 1,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged = 2,
    [JsonStringEnumMemberName("cleared")] Cleared = 3,
    [JsonStringEnumMemberName("closed")] Closed = 4,
}

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<Alarm>
{
    public void Configure(EntityTypeBuilder<Alarm> builder)
    {
        builder.ToTable("alarms");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.DeviceSerial).HasMaxLength(32);
        builder.Property(a => a.Code).HasMaxLength(64);
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(1000);
        builder.Property(a => a.OpenKey).HasMaxLength(160);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => a.OpenKey).IsUnique();
        // The plant's list, newest first, filtered by state.
        builder.HasIndex(a => new { a.PlantId, a.State, a.RaisedAt });
        builder.HasIndex(a => new { a.PlantId, a.RaisedAt });
        builder.HasOne<Plant>().WithMany().HasForeignKey(a => a.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
