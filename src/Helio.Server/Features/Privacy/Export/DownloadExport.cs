using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Downloading a finished export: "an expiring, single-user link after re-authentication" (ADR 0025). The link names
/// the requester's own request, so to anyone else it is missing (404, before anything else is looked at); it takes the
/// password again, and the authenticator code when two-factor authentication is on, through <see cref="CheckCredentials"/>
/// (so wrong answers count towards lockout); it works until the file's end of life (<c>ExportFileDays</c> after it was
/// written), then answers 410. Each download is audited (<c>privacy.exported</c>). The file is streamed from disk.
/// </summary>
internal sealed class DownloadExport(
    HelioDbContext db, CheckCredentials credentials, RequestQueries queries, AuditTrail audit, IOptions<Lifecycle.RetentionOptions> retention,
    IOptions<HelioOptions> helio, TimeProvider clock)
{
    public const string CodeRequired = "Required: two-factor authentication is on, so the code from your authenticator app (or a recovery code) too.";

    /// <summary>The link has passed its end of life (or its file is gone): 410.</summary>
    public static Refusal Expired { get; } = Refusal.Conflict("The download has expired and the file is deleted. Make a new export request for a fresh copy.");

    public static string UrlOf(Guid requestId) => $"/api/v1/me/requests/{requestId}/download";

    public async Task<Outcome<ExportFile>> HandleAsync(Guid userId, Guid requestId, DownloadExportBody body, CancellationToken cancellationToken)
    {
        // Someone else's request is missing, whatever they send.
        if (await queries.FindMineAsync(userId, requestId, cancellationToken) is not { Kind: RequestKind.Export })
        {
            return Refusal.NotFound;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var validation = new Validation();
        if (string.IsNullOrEmpty(body.Password))
        {
            validation.Add("password", SubmitRequest.PasswordRequired);
        }
        if (user is { TwoFactorEnabled: true } && string.IsNullOrWhiteSpace(body.Code))
        {
            validation.Add("code", CodeRequired);
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (!await credentials.PasswordAsync(user, body.Password, cancellationToken))
        {
            return SubmitRequest.WrongPassword;
        }
        if (user!.TwoFactorEnabled && !await credentials.SecondFactorAsync(user, body.Code, cancellationToken))
        {
            return Refusal.Invalid("code", "The code is not correct.");
        }
        var job = await db.Set<ExportJob>().AsNoTracking().SingleOrDefaultAsync(j => j.RequestId == requestId, cancellationToken);
        if (job is not { State: ExportJobState.Done, FileName: { } fileName, ExpiresAt: { } expires })
        {
            return Refusal.Conflict("The export is not ready yet: its progress is on the request.");
        }
        var path = helio.Value.DataPath(retention.Value.ExportDirectory, fileName);
        if (clock.GetUtcNow() >= expires || !File.Exists(path))
        {
            return Expired;
        }
        await db.Set<ExportJob>().Where(j => j.RequestId == requestId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Downloads, j => j.Downloads + 1), cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.DataExported, AuditActor.User(userId), SubjectUserId: userId, Target: requestId.ToString(),
            Detail: JsonSerializer.Serialize(new { bytes = job.SizeBytes })), cancellationToken);
        return new ExportFile(path, "helio-data-" + clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".zip");
    }
}

public sealed record DownloadExportBody(string? Password, string? Code = null);

/// <summary>Where the finished ZIP is, and the name it is downloaded under.</summary>
public sealed record ExportFile(string Path, string DownloadName);
