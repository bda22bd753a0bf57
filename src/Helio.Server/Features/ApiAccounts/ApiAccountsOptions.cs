using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>Settings under "ApiAccounts". Rate limits are per node, like the other limiters (ADR 0021).</summary>
public sealed class ApiAccountsOptions
{
    public const string Section = "ApiAccounts";

    /// <summary>Requests each API account may make per minute (per node); more get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Failed token requests (wrong secret) per client id per minute before the token endpoint answers 429.</summary>
    [Range(1, 10_000)]
    public int TokenFailuresPerMinute { get; set; } = 10;

    /// <summary>How long an access token lives. Closing an account or rotating its secret ends its tokens earlier.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
