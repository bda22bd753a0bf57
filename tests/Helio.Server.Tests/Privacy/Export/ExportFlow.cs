using System.Net;
using System.Text.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy.Export;

/// <summary>Intent helpers for exports and transfers: wait for the worker to answer a request, download it.</summary>
public static class ExportFlow
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Polls the request until it is completed or refused; returns it, with every progress seen on the way.</summary>
    public static async Task<(JsonElement Request, List<JsonElement> Progress)> AnsweredAsync(this Owner user, Guid requestId, HttpClient? client = null)
    {
        var seen = new List<JsonElement>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var response = await (client ?? user.Client).GetAsync($"/api/v1/me/requests/{requestId}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var request = await response.JsonAsync();
            if (request.GetProperty("progress").ValueKind == JsonValueKind.Object)
            {
                seen.Add(request.GetProperty("progress").Clone());
            }
            if (request.GetProperty("state").GetString() is "completed" or "refused")
            {
                return (request, seen);
            }
            Assert.True(DateTime.UtcNow < deadline, $"request {requestId} still {request.GetProperty("state").GetString()}");
            await Task.Delay(100, Ct);
        }
    }

    public static Task<HttpResponseMessage> DownloadAsync(this HttpClient client, string url, string? password) =>
        client.PostAsync(url, System.Net.Http.Json.JsonContent.Create(new { password }), Ct);

    /// <summary>The refusal's reason from the request's answer.</summary>
    public static string RefusalReason(this JsonElement request) =>
        request.GetProperty("answer").GetProperty("refusal").GetProperty("reason").GetString()!;
}
