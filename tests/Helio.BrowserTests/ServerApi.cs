using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Helio.BrowserTests;

/// <summary>Setting a server up through its public API, as a user or a collector would.</summary>
public static partial class ServerApi
{
    public static async Task<JsonNode> PostAsync(HttpClient http, string path, object body, CancellationToken ct)
    {
        var response = await http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Registers an owner, confirms the address from the real mail, and gives <paramref name="http"/> their bearer token.</summary>
    public static async Task RegisterOwnerAsync(HelioServer server, HttpClient http, string email, string password, string name, CancellationToken ct)
    {
        await PostAsync(http, "/api/v1/account/register", new { email, password, name, country = "DE", dateOfBirth = "1980-04-01" }, ct);
        var mail = await server.WaitForMailAsync(email, "Confirm your Helio account");
        var link = new Uri(ConfirmLink().Match(mail.TextBody!).Value);
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        await PostAsync(http, "/api/v1/account/confirm-email", new { userId = query["userId"], token = query["code"] }, ct);
        var token = await PostAsync(http, "/api/v1/auth/token", new { login = email, password }, ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
    }

    [GeneratedRegex(@"https?://\S+/account/confirm-email\?\S+")]
    private static partial Regex ConfirmLink();
}
