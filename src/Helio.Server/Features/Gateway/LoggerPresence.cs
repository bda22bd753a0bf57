using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// When a logger was last heard on any node (any frame: heartbeats too), so that the offline check, which runs on one
/// node, knows about loggers connected to all of them. Written at most every <see cref="LoggerPresenceRecorder.FlushEvery"/>.
/// </summary>
public sealed class LoggerPresence
{
    /// <summary>10 digits, as registered.</summary>
    public required string LoggerSerial { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}

internal sealed class LoggerPresenceConfiguration : IEntityTypeConfiguration<LoggerPresence>
{
    public void Configure(EntityTypeBuilder<LoggerPresence> builder)
    {
        builder.ToTable("logger_presence");
        builder.HasKey(p => p.LoggerSerial);
        builder.Property(p => p.LoggerSerial).HasMaxLength(10);
    }
}
