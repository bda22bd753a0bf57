using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Failed token requests, counted per client id: after <see cref="ApiAccountsOptions.TokenFailuresPerMinute"/> wrong
/// secrets in a minute, that client id gets 429 with Retry-After, right secret or not, until the minute is over. The
/// credentials limit per address stays in force on the endpoint too, so guessing across many client ids is bounded
/// as well. Two OpenIddict handlers: one refuses before the secret is checked (PBKDF2 is costly on purpose), one
/// counts the failures and turns the refusal into a 429.
/// </summary>
internal sealed class TokenFailures(IOptions<ApiAccountsOptions> options) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>, IOpenIddictServerHandler<ApplyTokenResponseContext>, IDisposable
{
    private const string Throttled = "helio:throttled";

    private readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(clientId =>
        RateLimitPartition.GetFixedWindowLimiter(clientId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.TokenFailuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public static OpenIddictServerHandlerDescriptor Check { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
        .UseSingletonHandler<TokenFailures>()
        .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor Count { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseSingletonHandler<TokenFailures>()
        .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.ClientId is { Length: > 0 } clientId)
        {
            // Zero permits asks "are any left?" without spending one.
            using var lease = failures.AttemptAcquire(clientId, permitCount: 0);
            if (!lease.IsAcquired)
            {
                context.Transaction.Properties[Throttled] = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.Reject(Errors.TemporarilyUnavailable, "Too many failed token requests for this client; retry later.");
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var response = context.Transaction.GetHttpRequest()?.HttpContext.Response;
        if (context.Transaction.Properties.TryGetValue(Throttled, out var value) && value is TimeSpan retryAfter && response is not null)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
        }
        else if (context.Error == Errors.InvalidClient && context.Request?.ClientId is { Length: > 0 } clientId)
        {
            failures.AttemptAcquire(clientId).Dispose();
        }
        return ValueTask.CompletedTask;
    }

    public void Dispose() => failures.Dispose();
}
