using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Audit;

/// <summary>
/// One line of the audit trail: append-only and hash-chained. <see cref="Hash"/> is SHA-256 over the entry's canonical
/// encoding (<see cref="AuditChain"/>), which includes <see cref="PrevHash"/>, the hash of the entry before it, and
/// <see cref="Seq"/>, which counts up from 1 without gaps. Editing, inserting or removing an entry therefore breaks
/// the chain at that entry, which <see cref="AuditVerifier"/> reports. People appear only as pseudonyms
/// (<see cref="AuditPseudonym"/>): erasing a person deletes their pseudonym's mapping and leaves every entry,
/// and so the chain, intact. No entry holds personal data.
/// </summary>
public sealed class AuditEntry
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>What happened, from <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    public AuditActorKind ActorKind { get; set; }
    /// <summary>A user's pseudonym, an API account's id, or null for the system and for anonymous callers.</summary>
    public Guid? ActorId { get; set; }
    /// <summary>The pseudonym of the person whose data or plant the entry is about.</summary>
    public Guid? SubjectId { get; set; }
    public Guid? PlantId { get; set; }
    /// <summary>The id of the thing acted on: a request, a device serial, a field name.</summary>
    public string? Target { get; set; }
    /// <summary>A little JSON with the action's parameters; never personal data.</summary>
    public string? Detail { get; set; }
    public required byte[] PrevHash { get; set; }
    public required byte[] Hash { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<AuditActorKind>))]
public enum AuditActorKind
{
    [JsonStringEnumMemberName("system")] System = 0,
    [JsonStringEnumMemberName("user")] User = 1,
    [JsonStringEnumMemberName("api-account")] ApiAccount = 2,
    /// <summary>Someone not signed in, e.g. a failed sign-in: no id, since a typed login is never recorded.</summary>
    [JsonStringEnumMemberName("anonymous")] Anonymous = 3,
}

/// <summary>
/// The link between a user and the pseudonym the audit trail knows them by. Erasing the user deletes this row: their
/// entries stay verifiable but no longer point at anyone.
/// </summary>
public sealed class AuditPseudonym
{
    public Guid UserId { get; set; }
    public Guid Pseudonym { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>, IEntityTypeConfiguration<AuditPseudonym>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Seq);
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Target).HasMaxLength(128);
        builder.Property(e => e.Detail).HasMaxLength(AuditChain.MaxDetailLength);
        builder.Property(e => e.PrevHash).HasMaxLength(32);
        builder.Property(e => e.Hash).HasMaxLength(32);
        // "Who accessed my data": newest first among the entries about one person.
        builder.HasIndex(e => new { e.SubjectId, e.Seq });
        builder.HasIndex(e => new { e.ActorId, e.Seq });
        builder.HasIndex(e => new { e.PlantId, e.Seq });
    }

    public void Configure(EntityTypeBuilder<AuditPseudonym> builder)
    {
        builder.ToTable("audit_pseudonyms");
        builder.HasKey(p => p.UserId);
        builder.HasIndex(p => p.Pseudonym).IsUnique();
        // No foreign key to users: erasure deletes this row itself, and the audit of the erasure is written first.
    }
}
