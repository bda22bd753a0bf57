using Helio.Server.Platform;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle.Retention;

/// <summary>
/// The seam for exports (issue 7, deliverable 3): whatever the export feature writes under
/// <see cref="RetentionOptions.ExportDirectory"/> (in the data directory) is deleted
/// <see cref="RetentionOptions.ExportFileDays"/> after it was last written, whatever the database says about it; a
/// download link to it stops working then.
/// </summary>
internal sealed class ExportFiles(IOptions<RetentionOptions> options, IOptions<HelioOptions> helio) : IRetentionRule
{
    public string Name => "export-files";

    /// <summary>The export of a request: "{request id}.zip", and ".part" while it is written.</summary>
    public static string FileName(Guid requestId) => $"{requestId:N}.zip";

    /// <summary>Deletes the export files of these requests, finished or half-written: decrypted copies go with the
    /// person's erasure rather than at a retention run days later.</summary>
    public static void DeleteFor(string directory, IEnumerable<Guid> requestIds)
    {
        // No export written yet on this node: nothing to delete (File.Delete throws for a missing directory).
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var id in requestIds)
        {
            File.Delete(Path.Combine(directory, FileName(id)));
            File.Delete(Path.Combine(directory, FileName(id) + ".part"));
        }
    }

    public Task<long> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(FileSweep.DeleteOlderThan(helio.Value.DataPath(options.Value.ExportDirectory), now.AddDays(-options.Value.ExportFileDays),
            options.Value.BatchSize * options.Value.MaxBatchesPerRun));
}

/// <summary>Deletes old files under a directory (never following links out of it), then the directories left empty.</summary>
internal static class FileSweep
{
    public static long DeleteOlderThan(string root, DateTimeOffset cutoff, int max)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }
        var walk = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        long deleted = 0;
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", walk))
        {
            if (deleted >= max)
            {
                break;
            }
            if (file.LastWriteTimeUtc < cutoff.UtcDateTime)
            {
                file.Delete();
                deleted++;
            }
        }
        foreach (var directory in new DirectoryInfo(root).EnumerateDirectories("*", walk).OrderByDescending(d => d.FullName.Length).ToList())
        {
            if (!directory.EnumerateFileSystemInfos().Any())
            {
                directory.Delete();
            }
        }
        return deleted;
    }
}
