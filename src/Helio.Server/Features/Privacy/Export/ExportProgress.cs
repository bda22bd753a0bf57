using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// What an export or transfer request shows its requester (the <see cref="IRequestWork"/> seam): the job's progress,
/// and for a finished export that has not expired, the download link. A transfer has no link: its copy went to the
/// recipient and was deleted here.
/// </summary>
internal sealed class ExportProgress(HelioDbContext db, TimeProvider clock) : IRequestWork
{
    public async Task<RequestWorkDto?> ReadAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind is not (RequestKind.Export or RequestKind.Transfer)
            || await db.Set<ExportJob>().AsNoTracking().SingleOrDefaultAsync(j => j.RequestId == request.Id, cancellationToken) is not { } job)
        {
            return null;
        }
        var total = Math.Max(job.SectionsTotal, WriteExport.Sections);
        var percent = job.State == ExportJobState.Done ? 100 : job.SectionsDone * 100 / total;
        var live = job.State == ExportJobState.Done && job.FileName is not null && job.ExpiresAt > clock.GetUtcNow();
        return new RequestWorkDto(
            new RequestProgressDto(Stage(job.State), job.SectionsDone, total, job.RowsWritten, percent, job.ExpiresAt),
            live ? DownloadExport.UrlOf(request.Id) : null);
    }

    private static string Stage(ExportJobState state) => state switch
    {
        ExportJobState.Queued => "queued",
        ExportJobState.Running => "running",
        ExportJobState.Done => "done",
        _ => "failed",
    };
}
