using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Usage;

/// <summary>
/// Product-improvement analytics, as little as can be useful: how often a page (its route template, never the path
/// with its ids) was viewed on a UTC day. No user id, no session, no time of day: a row cannot be traced to anyone.
/// Counted only for users whose latest "analytics" consent is given (<see cref="PageViewCounter"/>).
/// </summary>
public sealed class PageViewCount
{
    public DateOnly Day { get; set; }
    public required string Page { get; set; }
    public long Views { get; set; }
}

internal sealed class PageViewCountConfiguration : IEntityTypeConfiguration<PageViewCount>
{
    public const string Table = "page_view_counts";
    public const int MaxPageLength = 200;

    public void Configure(EntityTypeBuilder<PageViewCount> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => new { c.Day, c.Page });
        builder.Property(c => c.Page).HasMaxLength(MaxPageLength);
    }
}
