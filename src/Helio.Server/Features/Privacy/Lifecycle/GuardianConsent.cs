using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// A child's account waiting for, or holding, a parent's or guardian's consent (GDPR Art. 8). The guardian's address is
/// ciphertext under the child's key; the mailed link's token exists only as its hash (a random, unused one until the
/// guardian is mailed). Until <see cref="ConfirmedAt"/> is
/// set the account cannot sign in, and after <see cref="ExpiresAt"/> the retention job erases it. A confirmed row
/// stays for the life of the account: it is the proof of consent (Art. 7(1), 8(2)).
/// </summary>
public sealed class GuardianConsent
{
    public Guid UserId { get; set; }
    public required byte[] GuardianEmailCipher { get; set; }
    public required byte[] TokenHash { get; set; }
    /// <summary>The age of consent that applied (the country's, <see cref="AgeThresholds"/>): why a guardian was asked.</summary>
    public int Threshold { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>When the guardian was mailed: once the child confirmed their own address, not before (see <see cref="RequestGuardianConsent"/>).</summary>
    public DateTimeOffset? MailedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
}

internal sealed class GuardianConsentConfiguration : IEntityTypeConfiguration<GuardianConsent>
{
    public void Configure(EntityTypeBuilder<GuardianConsent> builder)
    {
        builder.ToTable("guardian_consents");
        builder.HasKey(g => g.UserId);
        builder.HasIndex(g => g.TokenHash).IsUnique();
        // The retention job's question: which requests ran out unconfirmed.
        builder.HasIndex(g => new { g.ConfirmedAt, g.ExpiresAt });
        builder.Property(g => g.TokenHash).HasMaxLength(32);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Tokens of guardian links and the one question sign-in asks.</summary>
public static class GuardianConsents
{
    public const string EmailField = "guardian_consents.guardian_email";

    /// <summary>Links carry a token made like an invitation's (<see cref="Organisations.Invitations.NewToken"/>): 32
    /// random bytes in base64url, stored as its SHA-256 hash.</summary>
    public const int MaxTokenLength = Organisations.Invitations.MaxTokenLength;

    /// <summary>Whether the account waits for a guardian: such an account cannot sign in.</summary>
    public static Task<bool> IsAwaitingAsync(HelioDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Set<GuardianConsent>().AnyAsync(g => g.UserId == userId && g.ConfirmedAt == null, cancellationToken);

    public const string AwaitingGuardian =
        "This account is waiting for a parent or guardian to confirm it: we e-mailed them a link when you confirmed your address. " +
        "You can sign in once they have confirmed. If nobody confirms before the link expires, the account and its data are deleted.";
}
