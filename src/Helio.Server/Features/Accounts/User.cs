using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// An account. Name, e-mail, phone and the authenticator secret exist in the database only as ciphertext
/// under the user's data key (see Platform/Encryption); e-mail and phone are found through blind indexes.
/// Every field is listed in docs/privacy/data-inventory.md.
/// </summary>
public sealed class User
{
    public Guid Id { get; set; }
    public required byte[] EmailIndex { get; set; }
    public required byte[] EmailCipher { get; set; }
    public byte[]? PhoneIndex { get; set; }
    public byte[]? PhoneCipher { get; set; }
    public required byte[] NameCipher { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country or region.</summary>
    public required string Country { get; set; }
    public bool EmailConfirmed { get; set; }
    public string? PasswordHash { get; set; }
    public required string SecurityStamp { get; set; }
    public required string ConcurrencyStamp { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public bool TwoFactorEnabled { get; set; }
    public byte[]? AuthenticatorKeyCipher { get; set; }
    /// <summary>Last TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2).</summary>
    public long LastTotpStep { get; set; }
    /// <summary>SHA-256 hashes of unused recovery codes, separated by ';'.</summary>
    public string? RecoveryCodeHashes { get; set; }
    public required string AcceptedPolicyVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>ISO date (yyyy-MM-dd) under the user's key: decides whether a guardian must confirm the account
    /// (Privacy/Lifecycle). Null for accounts registered before it was asked.</summary>
    public byte[]? DateOfBirthCipher { get; set; }
    /// <summary>The data region the account was registered in (the deployment's <c>Privacy:Region</c> then): transfers
    /// out of it need a recorded legal basis. Null for accounts registered before regions were recorded, which
    /// count as the deployment's region (ADR 0024).</summary>
    public string? HomeRegion { get; set; }

    /// <summary>Plaintext e-mail once decrypted or set in this unit of work; never stored.</summary>
    [NotMapped]
    public string? Email { get; set; }
}

/// <summary>A platform role (admin, dpo, support). Platform roles grant no access to plants or personal data by themselves.</summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }
    public required string Role { get; set; }
}

public static class Roles
{
    public const string Admin = "admin";
    public const string PrivacyOfficer = "dpo";
    public const string Support = "support";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, PrivacyOfficer, Support };
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>, IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.HasIndex(u => u.EmailIndex).IsUnique();
        builder.HasIndex(u => u.PhoneIndex).IsUnique();
        builder.Property(u => u.Country).HasMaxLength(2);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64);
        builder.Property(u => u.ConcurrencyStamp).HasMaxLength(64).IsConcurrencyToken();
        builder.Property(u => u.PasswordHash).HasMaxLength(256);
        builder.Property(u => u.RecoveryCodeHashes).HasMaxLength(1024);
        builder.Property(u => u.AcceptedPolicyVersion).HasMaxLength(32);
        builder.Property(u => u.HomeRegion).HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<UserRole> builder)
    {
        builder.ToTable("user_roles");
        builder.HasKey(r => new { r.UserId, r.Role });
        builder.Property(r => r.Role).HasMaxLength(32);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
