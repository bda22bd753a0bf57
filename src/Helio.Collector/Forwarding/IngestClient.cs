using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Helio.Collector.Forwarding;

/// <summary>What became of one ingest request, as far as the forwarder must act on it.</summary>
internal abstract record IngestOutcome
{
    /// <summary>200: the server took the batch; <see cref="Answer"/> says reading by reading (null if unreadable).</summary>
    public sealed record Delivered(IngestAnswer? Answer) : IngestOutcome;

    /// <summary>401 or 403: the key is wrong, revoked or rotated. Nothing will get through until it is replaced.</summary>
    public sealed record KeyRefused(HttpStatusCode Status) : IngestOutcome;

    /// <summary>413: too many readings (or bytes) in one request for this server.</summary>
    public sealed record TooLarge : IngestOutcome;

    /// <summary>400 or 415: the server cannot read the body; sending the same again cannot help.</summary>
    public sealed record Malformed(string Problem) : IngestOutcome;

    /// <summary>Network down, timeout, 429, 5xx or anything unexpected: worth sending again later, perhaps at the time the server asked for.</summary>
    public sealed record RetryLater(string Why, TimeSpan? After) : IngestOutcome;
}

/// <summary>
/// The Helio server's HTTP ingest API, <c>POST {server}/api/v1/ingest/readings</c> with the plant's ingest key as
/// a bearer token. Resending a batch is safe: the server stores a (serial number, timestamp) once.
/// </summary>
internal sealed class IngestClient(HttpClient http, Uri server, string key, TimeProvider time)
{
    public const string Path = "api/v1/ingest/readings";

    /// <summary>The ingest address under the server's base address (which may carry a path, behind a reverse proxy).</summary>
    public Uri Endpoint { get; } = new(server.AbsoluteUri.TrimEnd('/') + "/" + Path);

    public async Task<IngestOutcome> SendAsync(IReadOnlyList<BufferedReading> batch, CancellationToken cancellationToken)
    {
        var body = new IngestRequest([.. batch.Select(b => IngestReading.From(b.Reading))]);
        // Bytes with a Content-Length rather than a streamed (chunked) body: the server can refuse an oversized
        // request before reading it, and proxies in front of it handle it without surprises.
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, IngestJson.Default.IngestRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new IngestOutcome.RetryLater(e.Message, null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new IngestOutcome.RetryLater($"no answer within {http.Timeout.TotalSeconds:0} s", null);
        }
        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new IngestOutcome.Delivered(await ReadAsync(response, IngestJson.Default.IngestAnswer, cancellationToken)),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new IngestOutcome.KeyRefused(response.StatusCode),
                HttpStatusCode.RequestEntityTooLarge => new IngestOutcome.TooLarge(),
                HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType =>
                    new IngestOutcome.Malformed(Describe(await ReadAsync(response, IngestJson.Default.IngestProblem, cancellationToken))),
                var status => new IngestOutcome.RetryLater($"the server answered {(int)status} {response.ReasonPhrase}", RetryAfter(response)),
            };
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(IngestProblem? problem)
    {
        if (problem is null)
        {
            return "no problem details";
        }
        var errors = problem.Errors is { Count: > 0 } e ? " " + string.Join("; ", e.Take(5).Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")) : "";
        return $"{problem.Title} {problem.Detail}".Trim() + errors;
    }
}
