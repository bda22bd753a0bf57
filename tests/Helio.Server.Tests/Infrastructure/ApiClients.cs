using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>An API account as its owner got it: the secret is the one shown once.</summary>
public sealed record ApiClient(Guid Id, string ClientId, string Secret);

/// <summary>Intent helpers for API accounts: open one, associate plants, get a token the way a third party does.</summary>
public static class ApiClients
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ApiClient> OpenApiAccountAsync(this Owner owner, string name = "Monitoring partner")
    {
        var response = await owner.Client.PostAsJsonAsync("/api/v1/api-accounts", new { name }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.JsonAsync();
        return new ApiClient(json.GetProperty("id").GetGuid(), json.GetProperty("clientId").GetString()!, json.GetProperty("clientSecret").GetString()!);
    }

    public static async Task AssociateAsync(this Owner owner, ApiClient account, Guid plantId)
    {
        var response = await owner.Client.PostAsJsonAsync($"/api/v1/api-accounts/{account.Id}/plants", new { plantId }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"associating the plant: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>POST /connect/token with the client-credentials grant, the secret in the form body.</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(this HelioApp app, string clientId, string secret) =>
        app.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }), Ct);

    /// <summary>A client carrying a fresh access token of the account.</summary>
    public static async Task<HttpClient> ApiTokenClientAsync(this HelioApp app, ApiClient account)
    {
        var response = await app.RequestTokenAsync(account.ClientId, account.Secret);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.JsonAsync()).GetProperty("access_token").GetString());
        return client;
    }

    /// <summary>An owner with one plant, an API account associated with it, and the third party's client with a token.</summary>
    public static async Task<(Owner Owner, Guid Plant, ApiClient Account, HttpClient Api)> ThirdPartyReadingAPlantAsync(this HelioApp app)
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var account = await owner.OpenApiAccountAsync();
        await owner.AssociateAsync(account, plant);
        return (owner, plant, account, await app.ApiTokenClientAsync(account));
    }

    /// <summary>Makes the owner a platform admin, as <c>users add-role</c> does.</summary>
    public static async Task MakeAdminAsync(this HelioApp app, Owner owner)
    {
        var userId = await owner.UserIdAsync();
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        db.UserRoles.Add(new UserRole { UserId = userId, Role = Roles.Admin });
        await db.SaveChangesAsync(Ct);
    }
}
