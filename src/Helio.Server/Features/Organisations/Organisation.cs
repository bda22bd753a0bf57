using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// An installer company (the policy's "merchant"). Its name is a business name, kept in plaintext. Cancelling it
/// ends every share made to it, so its staff lose access on their next request; the rows stay for the audit trail.
/// </summary>
public sealed class Organisation
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
}

/// <summary>A person working for an organisation, with one role in it.</summary>
public sealed class OrganisationMember
{
    public Guid OrganisationId { get; set; }
    public Guid UserId { get; set; }
    public OrganisationRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    /// <summary>
    /// The address the member was invited at (the founder: their address when founding), under the member's own key:
    /// what the organisation's admins see in its member list. It is the organisation's record of whom it took on, so
    /// it does not follow later changes of the member's account address (ADR 0018).
    /// </summary>
    public byte[]? EmailCipher { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<OrganisationRole>))]
public enum OrganisationRole
{
    /// <summary>Runs the organisation: invites and removes staff. Never grants itself access to a plant.</summary>
    [JsonStringEnumMemberName("admin")] Admin = 1,
    /// <summary>Installs and maintains plants shared with the organisation.</summary>
    [JsonStringEnumMemberName("installer")] Installer = 2,
    /// <summary>Sees shared plants and asks owners for after-sales access.</summary>
    [JsonStringEnumMemberName("after-sales")] AfterSales = 3,
}

/// <summary>
/// An invitation by e-mail. The address is kept only as a blind index (to match it when the invitee signs up or
/// signs in) and as ciphertext under the inviter's key (so the organisation's admins see whom they invited); the
/// link's token exists only as a hash.
/// </summary>
public sealed class OrganisationInvitation
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required byte[] EmailIndex { get; set; }
    public required byte[] EmailCipher { get; set; }
    public OrganisationRole Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class OrganisationConfiguration :
    IEntityTypeConfiguration<Organisation>, IEntityTypeConfiguration<OrganisationMember>, IEntityTypeConfiguration<OrganisationInvitation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Name).HasMaxLength(100);
    }

    public void Configure(EntityTypeBuilder<OrganisationMember> builder)
    {
        builder.ToTable("organisation_members");
        builder.HasKey(m => new { m.OrganisationId, m.UserId });
        // The access rules look members up by user.
        builder.HasIndex(m => new { m.UserId, m.OrganisationId });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<OrganisationInvitation> builder)
    {
        builder.ToTable("organisation_invitations");
        builder.HasKey(i => i.Id);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.EmailIndex);
        builder.HasIndex(i => i.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
