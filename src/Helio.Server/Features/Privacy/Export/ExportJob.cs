using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// The work of one export or transfer request (ADR 0025): queued when the request is verified, taken by one node at a
/// time (a job lease named after it), its progress written as it goes, and once done the file's name, size and end of
/// life. Nothing personal is stored here: the ZIP itself is a file under the export directory, and the target of a
/// transfer stays in the request's encrypted details.
/// </summary>
public sealed class ExportJob
{
    /// <summary>The request's id: one job per request.</summary>
    public Guid RequestId { get; set; }
    public Guid UserId { get; set; }
    public ExportJobState State { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Times a node took it up: a node that died mid-way leaves it running, and another takes it over when the lease expires.</summary>
    public int Attempts { get; set; }
    public int SectionsDone { get; set; }
    public int SectionsTotal { get; set; }
    public long RowsWritten { get; set; }
    /// <summary>"{request id}.zip" under the export directory, once written.</summary>
    public string? FileName { get; set; }
    public long? SizeBytes { get; set; }
    /// <summary>When the download link stops working: with the file, <c>Privacy:Retention:ExportFileDays</c> after it was written.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public int Downloads { get; set; }
}

public enum ExportJobState
{
    Queued = 1,
    Running = 2,
    Done = 3,
    Failed = 4,
}

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> builder)
    {
        builder.ToTable("privacy_exports");
        builder.HasKey(j => j.RequestId);
        builder.Property(j => j.FileName).HasMaxLength(64);
        // The worker's question: what is waiting, oldest first.
        builder.HasIndex(j => new { j.State, j.QueuedAt });
        // A job lives as long as its request's record.
        builder.HasOne<Requests.PrivacyRequest>().WithMany().HasForeignKey(j => j.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
