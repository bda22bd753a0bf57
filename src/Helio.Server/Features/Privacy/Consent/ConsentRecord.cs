using Helio.Server.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Consent;

/// <summary>
/// One decision about one purpose: given or withdrawn, under which policy version, when and how. Records are only ever
/// appended (ADR 0022): the properties are init-only, no use case changes one, and the database refuses an UPDATE, and a
/// DELETE while the user exists (triggers from the migration <c>PrivacyPolicyAndConsent</c>). A user's state for a
/// purpose is their latest record for it (highest <see cref="Id"/>).
/// </summary>
public sealed class ConsentRecord
{
    /// <summary>Counts up in insertion order: "latest" never depends on two clocks agreeing.</summary>
    public long Id { get; init; }
    public Guid UserId { get; init; }
    public required string Purpose { get; init; }
    public required string PolicyVersion { get; init; }
    public bool Given { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Method { get; init; }
}

/// <summary>How a decision was made.</summary>
public static class ConsentMethods
{
    public const string Registration = "registration";
    public const string Web = "web";
    public const string Api = "api";
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public const string Table = "consent_records";
    public const string NoUpdateTrigger = "consent_records_no_update";
    public const string NoDeleteTrigger = "consent_records_no_delete";

    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.ToTable(Table, t =>
        {
            // Declared so that EF Core writes plain INSERTs for this table (no RETURNING that a trigger could upset).
            t.HasTrigger(NoUpdateTrigger);
            t.HasTrigger(NoDeleteTrigger);
        });
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Purpose).HasMaxLength(32);
        builder.Property(c => c.PolicyVersion).HasMaxLength(32);
        builder.Property(c => c.Method).HasMaxLength(16);
        // Latest per (user, purpose), and a user's history newest first.
        builder.HasIndex(c => new { c.UserId, c.Purpose, c.Id });
        // Erasing the account removes its records with it; nothing else may (see the delete trigger).
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
