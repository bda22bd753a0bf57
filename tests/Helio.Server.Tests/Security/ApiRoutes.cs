using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Security;

/// <summary>The real route table's /api/v1 routes, and requests to them that only authorisation can refuse.</summary>
public static class ApiRoutes
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IReadOnlyList<(string Method, RouteEndpoint Endpoint)> All(HelioApp app)
    {
        app.RequireAvailable();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)))
            .ToList();
    }

    /// <summary>"METHOD /pattern", the key the tests list routes by.</summary>
    public static string Key(string method, RouteEndpoint e) => $"{method} {e.RoutePattern.RawText!.TrimEnd('/')}";

    /// <summary>The route's path with each parameter replaced by its value; an unknown parameter fails the test.</summary>
    public static string Fill(RouteEndpoint endpoint, IReadOnlyDictionary<string, string> values)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            if (!values.TryGetValue(parameter.Name, out var value))
            {
                throw new Xunit.Sdk.XunitException($"Route {path} takes '{parameter.Name}': teach the authorisation tests how to fill it.");
            }
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + parameter.Name + "[^}]*\\}", value);
        }
        return path;
    }

    /// <summary>
    /// Sends a body that the owner could have sent successfully, so that only authorisation can refuse it: one set of
    /// fields that the write routes' bodies take, each with a valid value. <paramref name="extra"/> adds or replaces fields.
    /// </summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, IReadOnlyDictionary<string, object?>? extra = null)
    {
        if (method is "GET" or "DELETE")
        {
            return method == "GET" ? client.GetAsync(path, Ct) : client.DeleteAsync(path, Ct);
        }
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Taken over", ["latitude"] = 1, ["longitude"] = 1, ["timeZone"] = "UTC", ["capacityKwp"] = 1,
            ["serialNumber"] = "27" + Random.Shared.Next(10_000_000, 99_999_999), ["kind"] = "logger", ["model"] = "X",
            ["reason"] = "Taken over", ["minSeverity"] = "info", ["url"] = "http://127.0.0.1:9/other",
            ["metric"] = "activePowerW", ["comparison"] = ">", ["threshold"] = 1, ["durationSeconds"] = 0, ["severity"] = "info",
            ["underperformancePercent"] = 50, ["offlineAfterMinutes"] = 30,
            ["hours"] = 2, ["limit"] = 20, ["setting"] = AccessWorld.DangerousSetting, ["value"] = 30, ["field"] = "email",
        };
        if (path.Contains("/organisations/", StringComparison.Ordinal) || path.Contains("/shares", StringComparison.Ordinal))
        {
            // Invitations and shares take an address and a role or scope (notification settings take "email" as a switch).
            body["email"] = "invitee@example.com";
            body["role"] = "installer";
            body["scope"] = "manage";
        }
        if (path.Contains("/me/requests", StringComparison.Ordinal))
        {
            // Every test user has the same password: a request the caller could really make.
            body["kind"] = "export";
            body["password"] = Owners.Password;
        }
        if (path.Contains("/me/complaints", StringComparison.Ordinal))
        {
            body["subject"] = "Taken over";
            body["text"] = "Taken over";
        }
        if (path.Contains("/access-requests", StringComparison.Ordinal))
        {
            body["scope"] = "view";
            body["reason"] = "Checking the inverter's faults";
        }
        foreach (var (name, value) in extra ?? new Dictionary<string, object?>())
        {
            body[name] = value;
        }
        return client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(body) }, Ct);
    }

    /// <summary>The fields of a body that name the fixture's objects (a request for access names its plant).</summary>
    public static Dictionary<string, object?> Naming(IReadOnlyDictionary<string, string> fixture) =>
        fixture.TryGetValue("plantId", out var plant) ? new() { ["plantId"] = plant } : [];

    /// <summary>The problem title of an answer, or null for an empty body.</summary>
    public static async Task<string?> TitleAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return text.Length == 0 ? null : System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("title").GetString();
    }
}
