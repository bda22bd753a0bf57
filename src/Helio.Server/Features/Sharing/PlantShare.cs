using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Sharing;

/// <summary>
/// An owner's decision that a person or an organisation may see (or manage) one plant. Only the owner creates one;
/// ending it sets <see cref="RevokedAt"/> and takes effect on the grantee's next request, because every request
/// asks <see cref="Plants.PlantAccess"/> afresh.
/// </summary>
public sealed class PlantShare
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    /// <summary>Set for a share with one person; otherwise <see cref="OrganisationId"/> is.</summary>
    public Guid? UserId { get; set; }
    public Guid? OrganisationId { get; set; }
    public ShareScope Scope { get; set; }
    public Guid GrantedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RevokedBy { get; set; }
    /// <summary>For a share with a person: the address the owner invited, under the owner's key, so the owner's list
    /// shows whom they shared with (ADR 0018).</summary>
    public byte[]? EmailCipher { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ShareScope>))]
public enum ShareScope
{
    [JsonStringEnumMemberName("view")] View = 1,
    [JsonStringEnumMemberName("manage")] Manage = 2,
}

internal sealed class PlantShareConfiguration : IEntityTypeConfiguration<PlantShare>
{
    public void Configure(EntityTypeBuilder<PlantShare> builder)
    {
        builder.ToTable("plant_shares");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.PlantId);
        builder.HasIndex(s => new { s.UserId, s.RevokedAt });
        builder.HasIndex(s => new { s.OrganisationId, s.RevokedAt });
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(s => s.PlantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("ck_plant_shares_one_grantee", "(\"UserId\" IS NULL) <> (\"OrganisationId\" IS NULL)"));
    }
}
