using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Incidents;

/// <summary>
/// A personal data breach as the privacy officer records it: what GDPR Art. 33(3) asks to tell the supervisory authority
/// and Art. 34(2) to tell the people affected. The texts are the officer's, written for the public notice: they
/// describe the incident, never a person (the affected are a query, <see cref="Affected"/>, resolved when notified).
/// </summary>
public sealed class SecurityIncident
{
    public Guid Id { get; set; }
    public required string Title { get; set; }
    /// <summary>When the breach was found: the 72-hour clock of Art. 33(1) runs from here.</summary>
    public DateTimeOffset DiscoveredAt { get; set; }
    /// <summary>The nature of the breach: what happened.</summary>
    public required string Description { get; set; }
    /// <summary>Codes of <see cref="DataCategories"/>, comma-separated.</summary>
    public required string DataCategories { get; set; }
    /// <summary>The affected people as a query (<see cref="AffectedQuery"/>, JSON): everyone, plants', organisations' or a region's users.</summary>
    public required string Affected { get; set; }
    /// <summary>The approximate number of personal data records concerned, when known (Art. 33(3)(a)).</summary>
    public long? ApproximateRecords { get; set; }
    public required string LikelyConsequences { get; set; }
    public required string MeasuresTaken { get; set; }
    /// <summary>What the people affected can do themselves (change a password, watch for phishing).</summary>
    public required string Advice { get; set; }
    /// <summary>Whom to contact: the privacy officer or another contact point (Art. 33(3)(b)).</summary>
    public required string Contact { get; set; }
    public Guid RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? AuthorityNotifiedAt { get; set; }
    /// <summary>The authority's case number, when it gave one.</summary>
    public string? AuthorityReference { get; set; }
    /// <summary>Why the authority was told after 72 hours (Art. 33(1)).</summary>
    public string? DelayReason { get; set; }
    public DateTimeOffset? UsersNotifiedAt { get; set; }
    public int UsersNotified { get; set; }
    /// <summary>Since when the public notice page shows it (Art. 34(3)(c): when telling everyone one by one is impractical).</summary>
    public DateTimeOffset? PublishedAt { get; set; }
}

/// <summary>An affected user's copy of the notice: shown at their next visit until they mark it read.</summary>
public sealed class IncidentNotice
{
    public Guid IncidentId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool Mailed { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

internal sealed class SecurityIncidentConfiguration : IEntityTypeConfiguration<SecurityIncident>, IEntityTypeConfiguration<IncidentNotice>
{
    public void Configure(EntityTypeBuilder<SecurityIncident> builder)
    {
        builder.ToTable("security_incidents");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Title).HasMaxLength(IncidentInput.MaxTitle);
        builder.Property(i => i.Description).HasMaxLength(IncidentInput.MaxText);
        builder.Property(i => i.DataCategories).HasMaxLength(300);
        builder.Property(i => i.Affected).HasMaxLength(IncidentInput.MaxAffectedJson);
        builder.Property(i => i.LikelyConsequences).HasMaxLength(IncidentInput.MaxText);
        builder.Property(i => i.MeasuresTaken).HasMaxLength(IncidentInput.MaxText);
        builder.Property(i => i.Advice).HasMaxLength(IncidentInput.MaxText);
        builder.Property(i => i.Contact).HasMaxLength(IncidentInput.MaxContact);
        builder.Property(i => i.AuthorityReference).HasMaxLength(IncidentInput.MaxReference);
        builder.Property(i => i.DelayReason).HasMaxLength(IncidentInput.MaxText);
        builder.HasIndex(i => i.DiscoveredAt);
    }

    public void Configure(EntityTypeBuilder<IncidentNotice> builder)
    {
        builder.ToTable("incident_notices");
        builder.HasKey(n => new { n.UserId, n.IncidentId });
        builder.HasIndex(n => n.IncidentId);
        builder.HasOne<SecurityIncident>().WithMany().HasForeignKey(n => n.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
