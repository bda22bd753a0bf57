using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// One request an API account made, for its debug page: the route's template (never the concrete path or query),
/// the answer's status and time, and for errors the problem's title and detail. Never a body. Kept for the last
/// <see cref="ApiRequestLog.KeepPerAccount"/> requests of each account, and at most <see cref="ApiRequestLog.KeepFor"/>.
/// </summary>
public sealed class ApiRequestRecord
{
    public long Id { get; set; }
    public Guid ApiAccountId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Method { get; set; }
    public required string Route { get; set; }
    public int Status { get; set; }
    public int DurationMs { get; set; }
    public string? ErrorTitle { get; set; }
    public string? ErrorDetail { get; set; }
}

internal sealed class ApiRequestRecordConfiguration : IEntityTypeConfiguration<ApiRequestRecord>
{
    public const int MaxRoute = 200, MaxTitle = 200, MaxDetail = 500;

    public void Configure(EntityTypeBuilder<ApiRequestRecord> builder)
    {
        builder.ToTable("api_account_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.Method).HasMaxLength(8);
        builder.Property(r => r.Route).HasMaxLength(MaxRoute);
        builder.Property(r => r.ErrorTitle).HasMaxLength(MaxTitle);
        builder.Property(r => r.ErrorDetail).HasMaxLength(MaxDetail);
        builder.HasIndex(r => new { r.ApiAccountId, r.Id });
        builder.HasIndex(r => r.At);
        builder.HasOne<ApiAccount>().WithMany().HasForeignKey(r => r.ApiAccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
