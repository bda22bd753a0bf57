using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Helio.Server.Platform.Http;

/// <summary>Settings under "RateLimits". Per-node limits; lockout in the database is the real guard of each account.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Credential endpoints (sign-in, register, reset) per client address per minute.</summary>
    public int CredentialsPerMinute { get; set; } = 30;
}

public static class RateLimits
{
    public const string Credentials = "credentials";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Tell well-behaved clients (the LAN collector, scripts) when to come back instead of letting them guess.
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
            // The web UI's credential pages carry this policy too; showing their empty forms spends nothing.
            o.AddPolicy(Credentials, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.CredentialsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return builder;
    }
}
