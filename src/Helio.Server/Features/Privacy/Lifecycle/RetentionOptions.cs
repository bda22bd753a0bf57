using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// The retention schedule, under "Privacy:Retention" (docs/privacy/retention.md lists each rule with its reason).
/// Raw telemetry is not here: <c>Telemetry:RawRetentionDays</c>, enforced hourly by the telemetry maintenance job.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Privacy:Retention";

    /// <summary>Accounts whose e-mail address was never confirmed are erased this long after registering.</summary>
    public int UnconfirmedAccountDays { get; set; } = 7;

    /// <summary>A child's account whose guardian did not confirm is erased this long after registering; the guardian's link works as long.</summary>
    public int GuardianConsentDays { get; set; } = 7;

    /// <summary>Cancelled accounts are erased once this grace period after the cancellation has passed.</summary>
    public int CancelledAccountGraceDays { get; set; } = 14;

    /// <summary>Export files (ZIPs of personal data) are deleted this long after they were written.</summary>
    public int ExportFileDays { get; set; } = 7;

    /// <summary>Where exports are written, relative to Helio:DataDirectory: the directory this job sweeps.</summary>
    public string ExportDirectory { get; set; } = "exports";

    /// <summary>Sent or failed mails leave the outbox (and .eml files the mail-outbox directory) this long after.</summary>
    public int MailOutboxDays { get; set; } = 30;

    /// <summary>Ended sessions (expired or signed out) are deleted this long after they ended.</summary>
    public int EndedSessionDays { get; set; } = 30;

    /// <summary>Invitations (organisation staff, plant shares) are deleted this long after they were accepted, withdrawn or expired.</summary>
    public int ClosedInvitationDays { get; set; } = 30;

    /// <summary>Audit entries older than this many years are removed, leaving a signed checkpoint (ADR 0024).</summary>
    public int AuditYears { get; set; } = 6;

    /// <summary>False pauses the job, e.g. under a legal hold; whatever fell due meanwhile goes at its first run after.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs.</summary>
    public TimeSpan RunEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Rows deleted per statement and transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches per rule and run; the rest waits for the next run, so one run never holds the database for long.</summary>
    public int MaxBatchesPerRun { get; set; } = 200;
}

internal sealed class RetentionOptionsValidation : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions o)
    {
        var failures = new List<string>();
        void Days(string key, int value, int max)
        {
            if (value < 1 || value > max)
            {
                failures.Add($"Privacy:Retention:{key} must be between 1 and {max}.");
            }
        }
        Days(nameof(o.UnconfirmedAccountDays), o.UnconfirmedAccountDays, 365);
        Days(nameof(o.GuardianConsentDays), o.GuardianConsentDays, 90);
        Days(nameof(o.CancelledAccountGraceDays), o.CancelledAccountGraceDays, 365);
        Days(nameof(o.ExportFileDays), o.ExportFileDays, 365);
        Days(nameof(o.MailOutboxDays), o.MailOutboxDays, 3650);
        Days(nameof(o.EndedSessionDays), o.EndedSessionDays, 3650);
        Days(nameof(o.ClosedInvitationDays), o.ClosedInvitationDays, 3650);
        Days(nameof(o.AuditYears), o.AuditYears, 100);
        if (string.IsNullOrWhiteSpace(o.ExportDirectory) || Path.IsPathRooted(o.ExportDirectory) || o.ExportDirectory.Split('/', '\\').Contains(".."))
        {
            failures.Add("Privacy:Retention:ExportDirectory must be a directory inside Helio:DataDirectory (a relative path without '..').");
        }
        if (o.RunEvery < TimeSpan.FromMinutes(1) || o.RunEvery > TimeSpan.FromDays(7))
        {
            failures.Add("Privacy:Retention:RunEvery must be between one minute and seven days.");
        }
        if (o.BatchSize < 1 || o.BatchSize > 10_000)
        {
            failures.Add("Privacy:Retention:BatchSize must be between 1 and 10000.");
        }
        if (o.MaxBatchesPerRun < 1 || o.MaxBatchesPerRun > 100_000)
        {
            failures.Add("Privacy:Retention:MaxBatchesPerRun must be between 1 and 100000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
