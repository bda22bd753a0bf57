namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The seam for what a fulfilment shows on the requester's request (ADR 0025): how far its work has got and, for an
/// export, where to download it. Registered as a scoped service by the part that does the work; null for requests it
/// does not handle.
/// </summary>
public interface IRequestWork
{
    Task<RequestWorkDto?> ReadAsync(PrivacyRequest request, CancellationToken cancellationToken);
}

public sealed record RequestWorkDto(RequestProgressDto Progress, string? DownloadUrl);

/// <summary>
/// How far the background work on a request has got: <see cref="Stage"/> (queued, running, done or failed), sections
/// done of the total, rows written so far, and a percentage for a progress bar (sections done; 100 once done).
/// </summary>
public sealed record RequestProgressDto(string Stage, int SectionsDone, int SectionsTotal, long RowsWritten, int Percent, DateTimeOffset? ExpiresAt);
