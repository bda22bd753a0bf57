using System.Text.Json.Serialization;
using Helio.Server.Features.Plants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// An owner's own alarm on a plant: "<see cref="Metric"/> <see cref="Comparison"/> <see cref="Threshold"/> for
/// <see cref="DurationSeconds"/>", checked on every reading of each of the plant's inverters.
/// </summary>
public sealed class AlarmRule
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    public required string Name { get; set; }
    /// <summary>A metric of the vocabulary, as in the ingest and readings APIs (e.g. "radiatorTemperatureC").</summary>
    public required string Metric { get; set; }
    public RuleComparison Comparison { get; set; }
    public double Threshold { get; set; }
    /// <summary>How long the condition must hold before the alarm is raised (0: at the first reading).</summary>
    public int DurationSeconds { get; set; }
    public AlarmSeverity Severity { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RuleComparison>))]
public enum RuleComparison
{
    [JsonStringEnumMemberName(">")] Above = 1,
    [JsonStringEnumMemberName(">=")] AtLeast = 2,
    [JsonStringEnumMemberName("<")] Below = 3,
    [JsonStringEnumMemberName("<=")] AtMost = 4,
}

internal sealed class AlarmRuleConfiguration : IEntityTypeConfiguration<AlarmRule>
{
    public void Configure(EntityTypeBuilder<AlarmRule> builder)
    {
        builder.ToTable("alarm_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Metric).HasMaxLength(64);
        builder.HasIndex(r => r.PlantId);
        builder.HasOne<Plant>().WithMany().HasForeignKey(r => r.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
