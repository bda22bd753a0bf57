using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Access;

/// <summary>
/// An after-sales engineer's request for time-limited access to one plant, and, once approved, the grant itself.
/// The grant is live while <see cref="State"/> is Approved and now lies in [<see cref="StartsAt"/>, <see cref="EndsAt"/>);
/// it ends by itself, and revoking it takes effect on the next request. The reason is the requester's own words,
/// encrypted under their key.
/// </summary>
public sealed class AccessRequest
{
    public Guid Id { get; set; }
    public Guid PlantId { get; set; }
    public Guid RequesterId { get; set; }
    /// <summary>Set when the requester asks as an organisation's after-sales engineer; null for platform support.</summary>
    public Guid? OrganisationId { get; set; }
    public AccessScope Scope { get; set; }
    public required byte[] ReasonCipher { get; set; }
    public int Hours { get; set; }
    public AccessRequestState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public Guid? RevokedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>
    /// The grant is live at <paramref name="now"/>: approved, begun and not yet ended. The same test as
    /// <see cref="Plants.PlantAccess"/>'s, for the questions that are the Access feature's own (whose grant is it, may
    /// they see the owner's contact, may it still be revoked).
    /// </summary>
    public static Expression<Func<AccessRequest, bool>> LiveAt(DateTimeOffset now) =>
        r => r.State == AccessRequestState.Approved && r.StartsAt <= now && r.EndsAt > now;

    public bool IsLiveAt(DateTimeOffset now) => State == AccessRequestState.Approved && StartsAt <= now && EndsAt > now;
}

[JsonConverter(typeof(JsonStringEnumConverter<AccessScope>))]
public enum AccessScope
{
    [JsonStringEnumMemberName("view")] View = 1,
    /// <summary>View, plus remote operation of the plant's devices.</summary>
    [JsonStringEnumMemberName("operate")] Operate = 2,
}

[JsonConverter(typeof(JsonStringEnumConverter<AccessRequestState>))]
public enum AccessRequestState
{
    [JsonStringEnumMemberName("pending")] Pending = 1,
    [JsonStringEnumMemberName("approved")] Approved = 2,
    [JsonStringEnumMemberName("denied")] Denied = 3,
    [JsonStringEnumMemberName("revoked")] Revoked = 4,
}

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.ToTable("access_requests");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.RequesterId, r.State, r.EndsAt });
        builder.HasIndex(r => new { r.PlantId, r.State });
        builder.HasOne<Plants.Plant>().WithMany().HasForeignKey(r => r.PlantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(r => r.RequesterId).OnDelete(DeleteBehavior.Cascade);
    }
}
