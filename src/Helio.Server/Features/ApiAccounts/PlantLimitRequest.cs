using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// An owner's request that a platform admin let an API account read more plants. The reason is the owner's own
/// words, so it is personal data, encrypted under their key; the admin who decides reads it.
/// </summary>
public sealed class PlantLimitRequest
{
    public Guid Id { get; set; }
    public Guid ApiAccountId { get; set; }
    public Guid RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>The limit the account had when asked, so the admin sees the step.</summary>
    public int CurrentLimit { get; set; }
    public int RequestedLimit { get; set; }
    public required byte[] ReasonCipher { get; set; }
    public PlantLimitRequestState State { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedBy { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<PlantLimitRequestState>))]
public enum PlantLimitRequestState
{
    [JsonStringEnumMemberName("pending")] Pending = 1,
    [JsonStringEnumMemberName("approved")] Approved = 2,
    [JsonStringEnumMemberName("denied")] Denied = 3,
}

internal sealed class PlantLimitRequestConfiguration : IEntityTypeConfiguration<PlantLimitRequest>
{
    public void Configure(EntityTypeBuilder<PlantLimitRequest> builder)
    {
        builder.ToTable("api_plant_limit_requests");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.ApiAccountId, r.RequestedAt });
        // The admin's queue: pending first, oldest first.
        builder.HasIndex(r => new { r.State, r.RequestedAt });
        builder.HasOne<ApiAccount>().WithMany().HasForeignKey(r => r.ApiAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(r => r.RequestedBy).OnDelete(DeleteBehavior.Cascade);
    }
}
