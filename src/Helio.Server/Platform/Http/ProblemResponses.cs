using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Helio.Server.Platform.Http;

/// <summary>
/// Every error is an RFC 9457 problem: malformed JSON names the field it broke at, oversized bodies get
/// 413, and unexpected exceptions get a trace id but never their message (it could carry personal data).
/// </summary>
public static class ProblemResponses
{
    /// <summary>Largest request body accepted anywhere (1 MiB); uploads that need more set their own limit.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Kestrel enforces the limit while reading; this answers a declared oversize body before any reading,
        // on every server (including the test host, which has no Kestrel limits).
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                throw new BadHttpRequestException($"The request body is larger than {MaxRequestBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
            await next();
        });
        return app;
    }

    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            var status = bad.StatusCode;
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = status == 413 ? "Request body too large." : "Bad request." };
            if (FindJsonError(bad) is { } json)
            {
                var field = FieldName(json.Path);
                problem.Title = "The request body is not valid JSON for this operation.";
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [$"Invalid value at {json.Path ?? "$"}."] };
            }
            else if (status != 413)
            {
                // Framework messages name the parameter (e.g. 'Failed to bind parameter "Guid plantId"'); no user data.
                problem.Detail = bad.Message;
            }
            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }

        private static JsonException? FindJsonError(Exception exception)
        {
            for (var e = exception.InnerException; e is not null; e = e.InnerException)
            {
                if (e is JsonException json)
                {
                    return json;
                }
            }
            return null;
        }

        /// <summary>"$.latitude" → "latitude", "$.items[2].name" → "items[2].name", "$" → "body".</summary>
        private static string FieldName(string? path) =>
            path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }
}
