using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Body, byte[] RawBody, IReadOnlyDictionary<string, string> Headers, int AnsweredWith)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server on a free loopback port standing in for a webhook receiver or a push service: records every
/// request and answers 200 (or <see cref="SuccessStatus"/>), or a failure status for the next requests it is told to fail.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly Lock gate = new();
    private int failuresLeft;
    private int failureStatus = StatusCodes.Status500InternalServerError;

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>Base URL plus <c>/hook</c>; any path is accepted.</summary>
    public string Url { get; private set; } = "";

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    /// <summary>The status of a request that is not failed on purpose.</summary>
    public int SuccessStatus { get; set; } = StatusCodes.Status200OK;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.TrimEnd('/');
        receiver.Url = receiver.BaseUrl + "/hook";
        return receiver;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/> (500 unless told).</summary>
    public void FailNext(int count, int status = StatusCodes.Status500InternalServerError)
    {
        lock (gate)
        {
            failuresLeft = count;
            failureStatus = status;
        }
    }

    public async Task<ReceivedRequest> WaitForAsync(Func<ReceivedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        ReceivedRequest? found = null;
        await Eventually.True(() => (found = requests.FirstOrDefault(predicate)) is not null, "the receiver got no matching request", timeout);
        return found!;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        int status;
        lock (gate)
        {
            status = failuresLeft > 0 ? failureStatus : SuccessStatus;
            failuresLeft = Math.Max(0, failuresLeft - 1);
        }
        var raw = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, System.Text.Encoding.UTF8.GetString(raw), raw, headers, status));
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
