using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// One signed-in session: a browser cookie or an API refresh-token chain. Every authenticated request
/// checks that its session is still live, so sign-out, a password change or a reset ends it at once,
/// on every node.
/// </summary>
public sealed class Session
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public SessionKind Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>SHA-256 of the current refresh token (API sessions); rotated on every refresh.</summary>
    public byte[]? RefreshTokenHash { get; set; }
}

public enum SessionKind { Web = 1, Api = 2 }

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
