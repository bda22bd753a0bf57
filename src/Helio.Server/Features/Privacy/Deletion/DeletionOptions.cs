using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Privacy.Deletion;

/// <summary>The deletion job, under "Privacy:Deletion" (ADR 0026).</summary>
public sealed class DeletionOptions
{
    public const string Section = "Privacy:Deletion";

    /// <summary>How often the job looks for work when nothing woke it (a verified request wakes it on its node). Short,
    /// because the erasure step waits for the notices to go out and is found by this poll: the deletion target is 30 s.
    /// An idle look is one read of an empty table; the lease is taken only when something is queued.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the erasure waits for the notices and the final confirmation to go out. The mail outbox and the webhook
    /// deliveries retry for a while; a dead mailbox or receiver must not hold the erasure past this.
    /// </summary>
    public TimeSpan NoticeWait { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Requests taken per run; the rest wait for the next.</summary>
    public int BatchSize { get; set; } = 20;
}

internal sealed class DeletionOptionsValidation : IValidateOptions<DeletionOptions>
{
    public ValidateOptionsResult Validate(string? name, DeletionOptions o)
    {
        var failures = new List<string>();
        if (o.PollInterval < TimeSpan.FromMilliseconds(100) || o.PollInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Privacy:Deletion:PollInterval must be between 100 milliseconds and one hour.");
        }
        if (o.NoticeWait < TimeSpan.Zero || o.NoticeWait > TimeSpan.FromDays(7))
        {
            failures.Add("Privacy:Deletion:NoticeWait must be between zero and seven days.");
        }
        if (o.BatchSize < 1 || o.BatchSize > 1000)
        {
            failures.Add("Privacy:Deletion:BatchSize must be between 1 and 1000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
