using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helio.Protocols.RegisterMaps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helio.Collector.Tests.Fakes;

/// <summary>
/// The ingest API's contract, on a real Kestrel endpoint: POST /api/v1/ingest/readings with the bearer key and a
/// JSON body of at most <see cref="MaxReadings"/> readings; answers 200 reading by reading (idempotent on serial
/// number and timestamp), 401 for another key, 413 for too many readings. Everything the collector sends that
/// breaks the contract is noted in <see cref="Violations"/>. Tests can script the next answers (503, 401, …).
/// Serial numbers starting with "REFUSE" are refused, as the server refuses an inverter of another plant.
/// </summary>
internal sealed partial class TestIngestServer : IAsyncDisposable
{
    public const string Key = "hik_0123456789abcdef_secret";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Func<HttpContext, IResult>> script = new();
    private readonly ConcurrentDictionary<string, bool> stored = new();

    private TestIngestServer(WebApplication app) => this.app = app;

    public Uri Address => new(app.Urls.First());

    public int MaxReadings { get; set; } = 500;

    public int Requests => requests;

    private int requests;

    /// <summary>Readings stored, as sent.</summary>
    public ConcurrentQueue<JsonElement> Stored { get; } = new();

    /// <summary>The number of readings in each request the server read.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public static async Task<TestIngestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var server = new TestIngestServer(builder.Build());
        server.app.Urls.Add("http://127.0.0.1:0");
        server.app.MapPost("/api/v1/ingest/readings", (Delegate)server.HandleAsync);
        await server.app.StartAsync();
        return server;
    }

    /// <summary>The next request is answered with <paramref name="status"/> (and a Retry-After, if given), whatever it holds.</summary>
    public void ThenAnswer(int status, TimeSpan? retryAfter = null) => script.Enqueue(context =>
    {
        if (retryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        return Results.StatusCode(status);
    });

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            Violations.Enqueue($"Authorization: '{context.Request.Headers.Authorization}'");
            return Results.Unauthorized();
        }
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            Violations.Enqueue($"Content-Type: '{context.Request.ContentType}'");
        }
        if (script.TryDequeue(out var scripted))
        {
            return scripted(context);
        }
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("readings", out var readings) || readings.ValueKind != JsonValueKind.Array)
        {
            Violations.Enqueue("body is not {\"readings\":[...]}");
            return Results.Problem(title: "The body must hold readings.", statusCode: 400);
        }
        if (readings.GetArrayLength() > MaxReadings)
        {
            return Results.StatusCode(413);
        }
        BatchSizes.Enqueue(readings.GetArrayLength());
        var results = new List<object>();
        int accepted = 0, duplicates = 0, refused = 0;
        foreach (var reading in readings.EnumerateArray())
        {
            var index = results.Count;
            if (Problem(reading) is { } problem)
            {
                Violations.Enqueue(problem);
                refused++;
                results.Add(new { index, status = "refused", reason = problem });
            }
            else if (reading.GetProperty("serialNumber").GetString()!.StartsWith("REFUSE", StringComparison.Ordinal))
            {
                refused++;
                results.Add(new { index, status = "refused", field = "serialNumber", reason = "This inverter belongs to another plant." });
            }
            else if (stored.TryAdd($"{reading.GetProperty("serialNumber")}@{reading.GetProperty("timestamp")}", true))
            {
                Stored.Enqueue(reading.Clone());
                accepted++;
                results.Add(new { index, status = "accepted" });
            }
            else
            {
                duplicates++;
                results.Add(new { index, status = "duplicate" });
            }
        }
        return Results.Json(new { accepted, duplicates, refused, results });
    }

    /// <summary>What is wrong with one reading by the contract, or null.</summary>
    private static string? Problem(JsonElement reading)
    {
        if (reading.ValueKind != JsonValueKind.Object)
        {
            return "a reading is not an object";
        }
        foreach (var property in reading.EnumerateObject())
        {
            var wrong = property.Name switch
            {
                "serialNumber" => property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Length == 0,
                "timestamp" => property.Value.ValueKind != JsonValueKind.String || !Timestamp().IsMatch(property.Value.GetString()!),
                "values" => property.Value.ValueKind != JsonValueKind.Object
                    || property.Value.EnumerateObject().Any(v => !Metrics.TryParse(v.Name, out _) || v.Value.ValueKind != JsonValueKind.Number),
                "state" => property.Value.ValueKind != JsonValueKind.String
                    || !Enum.GetNames<InverterState>().Any(n => JsonNamingPolicy.CamelCase.ConvertName(n) == property.Value.GetString()),
                "faults" => property.Value.ValueKind != JsonValueKind.Array
                    || property.Value.EnumerateArray().Any(f => !f.TryGetInt32(out var id) || id is < 1 or > 256),
                _ => true,
            };
            if (wrong)
            {
                return $"bad {property.Name}: {property.Value.GetRawText()}";
            }
        }
        return reading.TryGetProperty("serialNumber", out _) && reading.TryGetProperty("timestamp", out _) && reading.TryGetProperty("values", out _)
            ? null
            : $"serialNumber, timestamp or values missing: {reading.GetRawText()}";
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Timestamp();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
