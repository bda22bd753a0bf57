using System.Globalization;
using System.Threading.RateLimiting;
using Helio.Server.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Runs after authorisation, so it sees who the caller is: for an API account's request, the per-account rate limit
/// (429 with Retry-After beyond <see cref="ApiAccountsOptions.RequestsPerMinute"/>), then one record in the account's
/// debug log. The limiter is ASP.NET Core's (System.Threading.RateLimiting), partitioned by account id; it cannot be
/// the rate-limiting middleware's, which runs before authentication. Requests of people pass straight through.
/// </summary>
internal sealed class ApiAccountTraffic : IMiddleware, IDisposable
{
    private readonly ApiRequestLog log;
    private readonly IProblemDetailsService problems;
    private readonly TimeProvider time;
    private readonly int perMinute;
    private readonly PartitionedRateLimiter<Guid> limiter;

    public ApiAccountTraffic(ApiRequestLog log, IProblemDetailsService problems, TimeProvider time, IOptions<ApiAccountsOptions> options)
    {
        this.log = log;
        this.problems = problems;
        this.time = time;
        perMinute = options.Value.RequestsPerMinute;
        limiter = PartitionedRateLimiter.Create<Guid, Guid>(accountId => RateLimitPartition.GetFixedWindowLimiter(accountId, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.User.IsApiAccount())
        {
            await next(context);
            return;
        }
        var accountId = context.User.UserId();
        var started = time.GetTimestamp();
        var capture = new ProblemCapture();
        context.Features.Set(capture);
        var failed = false;
        try
        {
            using var lease = limiter.AttemptAcquire(accountId);
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"An API account may make {perMinute} requests per minute.",
                    },
                });
                return;
            }
            await next(context);
        }
        catch
        {
            // The exception handler outside answers 500; the record says so, never the exception's message.
            failed = true;
            throw;
        }
        finally
        {
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            log.Write(new ApiRequestRecord
            {
                ApiAccountId = accountId,
                At = time.GetUtcNow(),
                Method = context.Request.Method,
                Route = Clip((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", ApiRequestRecordConfiguration.MaxRoute)!,
                Status = status,
                DurationMs = (int)Math.Min(int.MaxValue, time.GetElapsedTime(started).TotalMilliseconds),
                // A bare 404 gets its problem body from the status-code pages outside, after this has run: its title is the reason phrase.
                ErrorTitle = status >= 400 ? Clip(capture.Title ?? (failed ? "Unexpected error." : ReasonPhrases.GetReasonPhrase(status)), ApiRequestRecordConfiguration.MaxTitle) : null,
                ErrorDetail = status >= 400 ? Clip(capture.Detail, ApiRequestRecordConfiguration.MaxDetail) : null,
            });
        }
    }

    public void Dispose() => limiter.Dispose();

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    /// <summary>
    /// Hooked into problem details (see <see cref="ApiAccountsModule"/>): keeps the title and detail of the problem an
    /// API account's request was answered with, so the debug log can show them without reading the body.
    /// </summary>
    internal sealed class ProblemCapture
    {
        public string? Title { get; private set; }
        public string? Detail { get; private set; }

        public static void Capture(ProblemDetailsContext context)
        {
            if (context.HttpContext.Features.Get<ProblemCapture>() is { } capture)
            {
                capture.Title = context.ProblemDetails.Title;
                capture.Detail = context.ProblemDetails.Detail;
            }
        }
    }
}
