using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// A user's request that a person, not the rule, look at an automated decision (an alarm): tracked until answered.
/// The reason is the user's own words, so it is personal data, encrypted under their key.
/// </summary>
public sealed class AlarmReview
{
    public Guid Id { get; set; }
    public Guid AlarmId { get; set; }
    public Guid RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public byte[]? ReasonCipher { get; set; }
    public ReviewState State { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public Guid? AnsweredBy { get; set; }
    /// <summary>The reviewer's answer (about the equipment, not about a person).</summary>
    public string? Answer { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ReviewState>))]
public enum ReviewState
{
    [JsonStringEnumMemberName("open")] Open = 1,
    [JsonStringEnumMemberName("upheld")] Upheld = 2,
    [JsonStringEnumMemberName("overturned")] Overturned = 3,
}

internal sealed class AlarmReviewConfiguration : IEntityTypeConfiguration<AlarmReview>
{
    public void Configure(EntityTypeBuilder<AlarmReview> builder)
    {
        builder.ToTable("alarm_reviews");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Answer).HasMaxLength(2000);
        builder.HasIndex(r => r.AlarmId);
        builder.HasIndex(r => new { r.State, r.RequestedAt });
        builder.HasOne<Alarm>().WithMany().HasForeignKey(r => r.AlarmId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Accounts.User>().WithMany().HasForeignKey(r => r.RequestedBy).OnDelete(DeleteBehavior.Cascade);
    }
}
