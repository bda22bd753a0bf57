using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>A registered, confirmed user with an API client that carries their bearer token.</summary>
public sealed record Owner(string Email, string Password, string Name, string? Phone, HttpClient Client, string AccessToken, string RefreshToken);

/// <summary>Intent helpers: what a user does, through the public API and their real mailbox.</summary>
public static partial class Owners
{
    public const string Password = "correct horse battery";

    /// <summary>An adult's date of birth everywhere: no guardian is asked.</summary>
    public const string AdultBirthDate = "1980-04-01";

    public static string UniqueEmail(string who = "owner") => $"{who}.{Guid.NewGuid():N}@example.com";

    /// <summary>A fresh, valid German mobile number (unique per call).</summary>
    public static string UniquePhone() => "+49151" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Owner> RegisterOwnerAsync(this HelioApp app, string? email = null, string? phone = null, string name = "Jane Doe")
    {
        email ??= UniqueEmail();
        var anonymous = app.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/account/register", new { email, phone, password = Password, name, country = "DE", dateOfBirth = AdultBirthDate });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await app.ConfirmFromMailAsync(email);
        var tokens = await app.TokenAsync(email, Password);
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return new Owner(email, Password, name, phone, client, tokens.AccessToken, tokens.RefreshToken);
    }

    public static async Task ConfirmFromMailAsync(this HelioApp app, string email)
    {
        var mail = await app.Mail.WaitForAsync(email, "Confirm your Helio account");
        var (userId, code) = LinkParameters(mail.TextBody!, "/account/confirm-email");
        var confirmed = await app.Anonymous().PostAsJsonAsync("/api/v1/account/confirm-email", new { userId, token = code });
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
    }

    public static async Task<Tokens> TokenAsync(this HelioApp app, string login, string password, string? code = null)
    {
        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { login, password, code });
        Assert.True(response.IsSuccessStatusCode, $"Sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    public static HttpClient WithToken(this HelioApp app, string accessToken)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Finds the link to <paramref name="path"/> in a mail and returns its userId and code.</summary>
    public static (Guid UserId, string Code) LinkParameters(string body, string path)
    {
        var link = LinkPattern().Matches(body).Select(m => m.Value).First(l => l.Contains(path + "?", StringComparison.Ordinal));
        var query = HttpUtility.ParseQueryString(new Uri(link).Query);
        return (Guid.Parse(query["userId"]!), query["code"]!);
    }

    public static string LinkQuery(string body, string path, string name)
    {
        var link = LinkPattern().Matches(body).Select(m => m.Value).First(l => l.Contains(path + "?", StringComparison.Ordinal));
        return HttpUtility.ParseQueryString(new Uri(link).Query)[name]!;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<Guid> CreatePlantAsync(this Owner owner, string name = "Roof", string timeZone = "Europe/Berlin")
    {
        var response = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name, latitude = 48.1, longitude = 11.6, timeZone, capacityKwp = 9.9 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating a plant: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}

public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn);
