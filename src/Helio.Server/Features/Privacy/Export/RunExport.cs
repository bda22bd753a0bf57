using System.Globalization;
using Helio.Server.Features.Notifications;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// One export or transfer, start to end, on the node holding its lease: the request goes in progress
/// (<see cref="StartRequest"/>); the transfer policy decides whether the copy may leave the account's home region (for
/// an export the destination is the requester in their home region; for a transfer the region the request names, with
/// the consent it gives), and a transfer's target must be a public https address; then the ZIP is written, and either
/// kept for download (the request completes with its end date) or pushed to the target and deleted (completes with the
/// answer). A refusal by the policy, the target check or the receiver refuses the request with that reason, recorded in
/// its history and mailed. Helio itself is the actor of every change.
/// </summary>
internal sealed partial class RunExport(
    HelioDbContext db, StartRequest start, CompleteRequest complete, RefuseRequest refuse, TransferPolicy policy, WriteExport writer,
    PushTransfer push, PersonalDataProtector protector, JobLeases leases, IOptions<ExportOptions> options, IOptions<RetentionOptions> retention,
    IOptions<HelioOptions> helio, IHostEnvironment environment, TimeProvider clock, ILogger<RunExport> logger)
{
    public async Task HandleAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var job = await db.Set<ExportJob>().SingleOrDefaultAsync(j => j.RequestId == requestId, cancellationToken);
        var request = await db.PrivacyRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (job is null || job.State is ExportJobState.Done or ExportJobState.Failed)
        {
            return;
        }
        if (request is null || !request.IsOpen)
        {
            // Answered meanwhile (a privacy officer refused it) or its account erased: nothing to produce.
            await FinishAsync(job, ExportJobState.Failed, cancellationToken);
            return;
        }
        if (job.Attempts >= options.Value.MaxAttempts)
        {
            await FailAsync(job, "Helio could not produce the copy of your data after several tries. Please make a new request.", cancellationToken);
            return;
        }
        job.State = ExportJobState.Running;
        job.Attempts++;
        job.StartedAt = clock.GetUtcNow();
        job.SectionsDone = 0;
        job.SectionsTotal = WriteExport.Sections;
        job.RowsWritten = 0;
        await db.SaveChangesAsync(cancellationToken);
        if (request.State == RequestState.Verified && !(await start.HandleAsync(null, requestId, cancellationToken)).IsSuccess)
        {
            return; // changed meanwhile (409): the next round reads it again
        }

        var details = request.DetailsCipher is null
            ? new RequestDetails()
            : RequestDetails.FromJson(await protector.DecryptAsync(request.UserId, SubmitRequest.DetailsField, request.DetailsCipher, cancellationToken));
        var isTransfer = request.Kind == RequestKind.Transfer;
        var destination = isTransfer ? details.TargetRegion : await HomeRegionAsync(request.UserId, cancellationToken);
        var decision = await policy.DecideAsync(request.UserId, isTransfer ? TransferKind.Transfer : TransferKind.Export, destination, details.TransferConsent == true, cancellationToken);
        if (!decision.IsSuccess || decision.Value is not { Allowed: true })
        {
            await FailAsync(job, decision.Value?.Reason ?? "The request does not name the data region of the recipient.", cancellationToken);
            return;
        }
        if (isTransfer)
        {
            var validation = new Validation();
            await WebhookTargets.CheckAsync(validation, "targetUrl", details.TargetUrl, options.Value.PrivateTargetsAllowed(environment), cancellationToken);
            if (!validation.IsValid)
            {
                await FailAsync(job, $"Helio does not send data to this address: {validation.Errors["targetUrl"][0]}", cancellationToken);
                return;
            }
        }

        var directory = helio.Value.DataPath(retention.Value.ExportDirectory);
        Directory.CreateDirectory(directory);
        var fileName = Lifecycle.Retention.ExportFiles.FileName(requestId);
        var part = Path.Combine(directory, fileName + ".part");
        var progress = new JobProgress(db, leases, requestId, options.Value.LeaseDuration);
        var counts = await writer.WriteAsync(request.UserId, part, progress, cancellationToken);
        var path = Path.Combine(directory, fileName);
        File.Move(part, path, overwrite: true);
        var size = new FileInfo(path).Length;
        job.RowsWritten = counts.Rows;
        var now = clock.GetUtcNow();
        LogWritten(logger, requestId, size, counts.Rows);

        if (!isTransfer)
        {
            var expires = now.AddDays(retention.Value.ExportFileDays);
            job.FileName = fileName;
            job.SizeBytes = size;
            job.ExpiresAt = expires;
            await FinishAsync(job, ExportJobState.Done, cancellationToken);
            await complete.HandleAsync(null, requestId, new CompleteRequestBody(
                $"Your copy is ready: a ZIP of {Megabytes(size)} with {counts.Rows.ToString(CultureInfo.InvariantCulture)} rows. Download it from this request's page with your password " +
                $"until {expires.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)}; after that it is deleted."), cancellationToken);
            return;
        }

        var pushed = await push.SendAsync(new Uri(details.TargetUrl!), path, size, cancellationToken);
        // The recipient has its copy, or none: either way Helio keeps no second one.
        File.Delete(path);
        if (pushed.Refusal is { } refusal)
        {
            await FailAsync(job, refusal, cancellationToken);
            return;
        }
        job.SizeBytes = size;
        await FinishAsync(job, ExportJobState.Done, cancellationToken);
        await complete.HandleAsync(null, requestId, new CompleteRequestBody(
            $"Your copy ({Megabytes(size)}, {counts.Rows.ToString(CultureInfo.InvariantCulture)} rows) was sent to {new Uri(details.TargetUrl!).IdnHost}, which answered HTTP {pushed.Status}."),
            cancellationToken);
    }

    private async Task<string> HomeRegionAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.HomeRegion).SingleOrDefaultAsync(cancellationToken) ?? policy.DeploymentRegion;

    private async Task FailAsync(ExportJob job, string reason, CancellationToken cancellationToken)
    {
        await FinishAsync(job, ExportJobState.Failed, cancellationToken);
        await refuse.HandleAsync(null, job.RequestId, new RefuseRequestBody(reason, null), cancellationToken);
    }

    private async Task FinishAsync(ExportJob job, ExportJobState state, CancellationToken cancellationToken)
    {
        job.State = state;
        job.FinishedAt = clock.GetUtcNow();
        if (state == ExportJobState.Done)
        {
            job.SectionsDone = job.SectionsTotal = WriteExport.Sections;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Writes progress to the job's row, and renews this node's lease with it, at most once a second.</summary>
    private sealed class JobProgress(HelioDbContext db, JobLeases leases, Guid requestId, TimeSpan lease) : IExportProgress
    {
        private int lastSections = -1;
        private long lastTick;

        public async Task ReportAsync(int sectionsDone, long rowsWritten, CancellationToken cancellationToken)
        {
            var tick = Environment.TickCount64;
            if (sectionsDone == lastSections && tick - lastTick < 1000)
            {
                return;
            }
            lastSections = sectionsDone;
            lastTick = tick;
            await db.Set<ExportJob>().Where(j => j.RequestId == requestId)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.SectionsDone, sectionsDone).SetProperty(j => j.RowsWritten, rowsWritten), cancellationToken);
            if (!await leases.TryAcquireAsync(db, ExportWorker.LeaseName(requestId), lease, cancellationToken))
            {
                // Another node took it over (this one stalled past its lease): stop rather than write the same file twice.
                throw new LeaseLostException();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {RequestId} written: {Bytes} bytes, {Rows} rows")]
    private static partial void LogWritten(ILogger logger, Guid requestId, long bytes, long rows);
}

/// <summary>This node's hold on an export passed to another node (it stalled past its lease): it stops writing.</summary>
internal sealed class LeaseLostException() : Exception("The export's lease passed to another node.");
