using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// A third party's machine access: an OAuth 2.0 client (client credentials) that reads only the plants associated
/// with it, and never anyone's personal data. Opened by an owner (or an organisation's admin) for plants they may
/// manage. Its id is the token's subject, so <see cref="Plants.PlantAccess"/> finds its plants like a user's.
/// </summary>
public sealed class ApiAccount
{
    public const int DefaultPlantLimit = 10;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The user who opened it, when it belongs to a person.</summary>
    public Guid? OwnerUserId { get; set; }
    /// <summary>The organisation it belongs to, when an organisation's admin opened it.</summary>
    public Guid? OrganisationId { get; set; }
    /// <summary>The OpenIddict application's client id (random, not secret).</summary>
    public required string ClientId { get; set; }
    public int PlantLimit { get; set; } = DefaultPlantLimit;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SecretRotatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>A plant an API account may read.</summary>
public sealed class ApiAccountPlant
{
    public Guid ApiAccountId { get; set; }
    public Guid PlantId { get; set; }
    public Guid AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

internal sealed class ApiAccountConfiguration : IEntityTypeConfiguration<ApiAccount>, IEntityTypeConfiguration<ApiAccountPlant>
{
    public void Configure(EntityTypeBuilder<ApiAccount> builder)
    {
        builder.ToTable("api_accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Name).HasMaxLength(100);
        builder.Property(a => a.ClientId).HasMaxLength(64);
        builder.HasIndex(a => a.ClientId).IsUnique();
        builder.HasIndex(a => a.OwnerUserId);
        builder.HasIndex(a => a.OrganisationId);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(a => a.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ApiAccountPlant> builder)
    {
        builder.ToTable("api_account_plants");
        builder.HasKey(p => new { p.ApiAccountId, p.PlantId });
        builder.HasIndex(p => p.PlantId);
        builder.HasOne<ApiAccount>().WithMany().HasForeignKey(p => p.ApiAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(p => p.PlantId).OnDelete(DeleteBehavior.Cascade);
    }
}
