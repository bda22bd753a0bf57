using Helio.Server.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Policy;

/// <summary>
/// One version of the privacy policy (ADR 0022). A draft (no <see cref="PublishedAt"/>) is the privacy officer's to
/// edit; once published it never changes, and it is the current policy from <see cref="EffectiveAt"/> until the next
/// published version takes effect. Users accept versions by their <see cref="Version"/> label
/// (<c>users.AcceptedPolicyVersion</c>, and every consent record).
/// </summary>
public sealed class PolicyVersion
{
    public required string Version { get; set; }
    public required string Title { get; set; }
    /// <summary>Markdown; rendered without raw HTML (<see cref="PolicyText"/>).</summary>
    public string BodyMarkdown { get; set; } = "";
    /// <summary>What changed since the version before, in a few sentences: the notice mail and the banner show it.</summary>
    public string? Summary { get; set; }
    /// <summary>A material change: everyone is told by mail and must accept it before doing anything else.</summary>
    public bool Material { get; set; }
    /// <summary>Null while a draft.</summary>
    public DateTimeOffset? EffectiveAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public Guid? PublishedBy { get; set; }
}

/// <summary>A user closed the banner announcing a minor policy change: it is not shown to them again.</summary>
public sealed class PolicyNoticeDismissal
{
    public Guid UserId { get; set; }
    public required string Version { get; set; }
    public DateTimeOffset DismissedAt { get; set; }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>, IEntityTypeConfiguration<PolicyNoticeDismissal>
{
    public const int MaxVersionLength = 32;
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 100_000;
    public const int MaxSummaryLength = 2_000;

    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.ToTable("policy_versions");
        builder.HasKey(p => p.Version);
        builder.Property(p => p.Version).HasMaxLength(MaxVersionLength);
        builder.Property(p => p.Title).HasMaxLength(MaxTitleLength);
        builder.Property(p => p.BodyMarkdown).HasMaxLength(MaxBodyLength);
        builder.Property(p => p.Summary).HasMaxLength(MaxSummaryLength);
        builder.HasIndex(p => p.EffectiveAt);
        // The officer's account may be erased; the policy stays, and the audit trail keeps who published it.
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.CreatedBy).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.PublishedBy).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<PolicyNoticeDismissal> builder)
    {
        builder.ToTable("policy_notice_dismissals");
        builder.HasKey(d => new { d.UserId, d.Version });
        builder.Property(d => d.Version).HasMaxLength(MaxVersionLength);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PolicyVersion>().WithMany().HasForeignKey(d => d.Version).OnDelete(DeleteBehavior.Cascade);
    }
}
