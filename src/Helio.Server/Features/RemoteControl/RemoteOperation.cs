using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.RemoteControl;

/// <summary>
/// A change of an inverter's settings through its logger's connection, from the request to the device's answer
/// (ADR 0020). The registers to write are fixed when it is requested, so an approver approves exactly what is sent.
/// It is the queue too: the node holding the logger's connection claims a pending one by a conditional update, so it
/// is sent once. Only ids of people are kept here; the audit trail holds every step.
/// </summary>
public sealed class RemoteOperation
{
    public Guid Id { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The plant the device belonged to when it was requested (for the audit trail).</summary>
    public Guid PlantId { get; set; }
    public required string DeviceSerial { get; set; }
    /// <summary>A setting of the device's register map, or a named operation of it ("exportLimit").</summary>
    public required string Setting { get; set; }
    /// <summary>The value asked for, in the setting's unit; null for operations that take none.</summary>
    public double? Value { get; set; }
    /// <summary>The first register written.</summary>
    public int Address { get; set; }
    /// <summary>The register values written from <see cref="Address"/> on, decimal, comma-separated ("1,30").</summary>
    public required string Registers { get; set; }
    /// <summary>Needs a second person's approval before anything is sent.</summary>
    public bool Dangerous { get; set; }
    public OperationState State { get; set; }
    /// <summary>Null once the requester's account is erased.</summary>
    public Guid? RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>Who approved or rejected a dangerous operation.</summary>
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>When it became pending: requested (not dangerous) or approved.</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The registers as read back after the write, in the form of <see cref="Registers"/>.</summary>
    public string? ReadBack { get; set; }
    /// <summary>Why it failed: a Modbus exception and its meaning, a timeout, the logger offline. No personal data.</summary>
    public string? Error { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<OperationState>))]
public enum OperationState
{
    /// <summary>Dangerous: waits for a second person who may operate the plant.</summary>
    [JsonStringEnumMemberName("awaiting-approval")] AwaitingApproval = 1,
    /// <summary>Queued for the node that holds the logger's connection.</summary>
    [JsonStringEnumMemberName("pending")] Pending = 2,
    /// <summary>Claimed by that node and written to the logger; waiting for the inverter's answer.</summary>
    [JsonStringEnumMemberName("sent")] Sent = 3,
    [JsonStringEnumMemberName("confirmed")] Confirmed = 4,
    [JsonStringEnumMemberName("failed")] Failed = 5,
    [JsonStringEnumMemberName("rejected")] Rejected = 6,
}

internal sealed class RemoteOperationConfiguration : IEntityTypeConfiguration<RemoteOperation>
{
    public const int MaxError = 300;

    public void Configure(EntityTypeBuilder<RemoteOperation> builder)
    {
        builder.ToTable("remote_operations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.DeviceSerial).HasMaxLength(32);
        builder.Property(o => o.Setting).HasMaxLength(64);
        builder.Property(o => o.Registers).HasMaxLength(64);
        builder.Property(o => o.ReadBack).HasMaxLength(64);
        builder.Property(o => o.Error).HasMaxLength(MaxError);
        // The device page's list (newest first; ids are version 7 UUIDs), and the hourly limit's count.
        builder.HasIndex(o => new { o.DeviceId, o.Id });
        builder.HasIndex(o => new { o.DeviceId, o.RequestedAt });
        // The dispatchers' queue and sweeps.
        builder.HasIndex(o => new { o.State, o.QueuedAt });
        // A device leaves a plant with its history, as its readings and alarms do.
        builder.HasOne<Devices.Device>().WithMany().HasForeignKey(o => o.DeviceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(o => o.PlantId).OnDelete(DeleteBehavior.Cascade);
        // An erased person's operations stay in the device's history, no longer pointing at anyone.
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(o => o.RequestedBy).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(o => o.DecidedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
