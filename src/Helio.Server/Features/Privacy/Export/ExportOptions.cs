using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Settings under "Privacy:Export" (ADR 0025). Where the files go and how long they live are the retention schedule's
/// (<c>Privacy:Retention:ExportDirectory</c>, <c>ExportFileDays</c>); these are the limits of producing and sending them.
/// </summary>
public sealed class ExportOptions
{
    public const string Section = "Privacy:Export";

    /// <summary>False pauses the worker (maintenance, a legal hold): verified requests wait queued, and the privacy
    /// officers still see and may answer them by hand.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node looks for queued exports when nothing woke it (a request verified on another node).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A node's hold on one export; renewed with every batch, so another node takes over within this long after a crash.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Rows read per query (readings, alarms, access log): what is in memory at once.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>Times a job is taken up before it is given up (the request is then refused with the reason).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The largest ZIP pushed to a third party; a larger one is refused (the requester can still download it).</summary>
    public long MaxTransferBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The whole push of a transfer, connection to answer.</summary>
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Lets a transfer go to a loopback, private, link-local or unique-local address. Off by default, and on only in
    /// Development or where the operator sets it (the tests do, for a local receiver): otherwise any user could make
    /// the server post to its own network (SSRF).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    public bool PrivateTargetsAllowed(IHostEnvironment environment) => AllowPrivateTargets || environment.IsDevelopment();
}

internal sealed class ExportOptionsValidation : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions o)
    {
        var failures = new List<string>();
        if (o.PollInterval < TimeSpan.FromMilliseconds(100) || o.PollInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Privacy:Export:PollInterval must be between 100 ms and one hour.");
        }
        if (o.LeaseDuration < TimeSpan.FromSeconds(10) || o.LeaseDuration > TimeSpan.FromHours(1))
        {
            failures.Add("Privacy:Export:LeaseDuration must be between 10 seconds and one hour.");
        }
        if (o.BatchSize is < 10 or > 100_000)
        {
            failures.Add("Privacy:Export:BatchSize must be between 10 and 100000.");
        }
        if (o.MaxAttempts is < 1 or > 10)
        {
            failures.Add("Privacy:Export:MaxAttempts must be between 1 and 10.");
        }
        if (o.MaxTransferBytes < 1024 * 1024 || o.MaxTransferBytes > 64L * 1024 * 1024 * 1024)
        {
            failures.Add("Privacy:Export:MaxTransferBytes must be between 1 MiB and 64 GiB.");
        }
        if (o.TransferTimeout < TimeSpan.FromSeconds(5) || o.TransferTimeout > TimeSpan.FromHours(2))
        {
            failures.Add("Privacy:Export:TransferTimeout must be between 5 seconds and two hours.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
