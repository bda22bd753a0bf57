using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// One poll of one inverter as the gateway stored it: a simple interim table (values as JSON by canonical metric
/// name, docs/metrics.md). The Telemetry issue replaces it with the real time-series store.
/// </summary>
public sealed class GatewayReading
{
    public long Id { get; set; }
    /// <summary>
    /// The logger's 10-digit serial, as devices store it, so that registering it later finds this data; null for
    /// readings that came through an ingest API, which belong to a plant already.
    /// </summary>
    public string? LoggerSerial { get; set; }
    public required string InverterSerial { get; set; }
    /// <summary>When it was measured, to the millisecond (<see cref="ReadingInserts.Instant"/>); unique per inverter.</summary>
    public DateTimeOffset At { get; set; }
    public required string State { get; set; }

    /// <summary>Active fault IDs, comma-separated; empty when none.</summary>
    public required string Faults { get; set; }

    /// <summary>{"activePowerW": 5230, …}: the metrics the model has.</summary>
    public required string Values { get; set; }
}

internal sealed class GatewayReadingConfiguration : IEntityTypeConfiguration<GatewayReading>
{
    public void Configure(EntityTypeBuilder<GatewayReading> builder)
    {
        builder.ToTable("gateway_readings");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.LoggerSerial).HasMaxLength(10);
        builder.Property(r => r.InverterSerial).HasMaxLength(32);
        builder.Property(r => r.State).HasMaxLength(20);
        builder.Property(r => r.Faults).HasMaxLength(1000);
        builder.HasIndex(r => new { r.InverterSerial, r.At }).IsUnique();
        builder.HasIndex(r => new { r.LoggerSerial, r.At });
    }
}
