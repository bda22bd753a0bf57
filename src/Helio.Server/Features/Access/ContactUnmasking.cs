using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Access;

/// <summary>
/// An engineer saw one of a plant owner's contact fields in clear, during a grant, for a reason they gave. The audit
/// trail records that it happened (<c>contact.unmasked</c>, with the field); this row keeps why, so that the owner can
/// read the reason next to the grant. The reason is the engineer's own words, encrypted under their key.
/// </summary>
public sealed class ContactUnmasking
{
    public Guid Id { get; set; }
    /// <summary>The grant it happened under.</summary>
    public Guid AccessRequestId { get; set; }
    public Guid PlantId { get; set; }
    public Guid UserId { get; set; }
    public ContactField Field { get; set; }
    public required byte[] ReasonCipher { get; set; }
    public DateTimeOffset At { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ContactField>))]
public enum ContactField
{
    [JsonStringEnumMemberName("name")] Name = 1,
    [JsonStringEnumMemberName("email")] Email = 2,
    [JsonStringEnumMemberName("phone")] Phone = 3,
}

internal sealed class ContactUnmaskingConfiguration : IEntityTypeConfiguration<ContactUnmasking>
{
    public void Configure(EntityTypeBuilder<ContactUnmasking> builder)
    {
        builder.ToTable("contact_unmaskings");
        builder.HasKey(u => u.Id);
        builder.HasIndex(u => new { u.AccessRequestId, u.At });
        builder.HasIndex(u => u.PlantId);
        // Deleted with the grant, which goes with the plant or the engineer.
        builder.HasOne<AccessRequest>().WithMany().HasForeignKey(u => u.AccessRequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
