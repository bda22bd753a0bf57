using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// An owner's offer, by e-mail, to share one plant with a person. It becomes a <see cref="PlantShare"/> only when the
/// person accepts it, signed in with the address it was sent to: so sharing reveals nothing about who has an account
/// (ADR 0005), and nobody gets a plant (and its alarm mails) without saying yes. The address is kept as a blind index
/// (to match the accepting account) and as ciphertext under the owner's key (the owner's list); the link's token only
/// as a hash.
/// </summary>
public sealed class ShareInvitation
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    public required byte[] EmailIndex { get; set; }
    public required byte[] EmailCipher { get; set; }
    public ShareScope Scope { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
    /// <summary>The share the acceptance made.</summary>
    public Guid? ShareId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class ShareInvitationConfiguration : IEntityTypeConfiguration<ShareInvitation>
{
    public void Configure(EntityTypeBuilder<ShareInvitation> builder)
    {
        builder.ToTable("share_invitations");
        builder.HasKey(i => i.Id);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.PlantId);
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(i => i.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
