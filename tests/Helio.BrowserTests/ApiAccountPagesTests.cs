using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Helio.BrowserTests;

/// <summary>
/// The API account pages in a real browser against the real binary: the owner opens an account and sees its secret
/// once, associates a plant, and a third party's token (from POST /connect/token with that secret) reads the plant;
/// its request then shows in the account's debug log.
/// </summary>
public sealed class ApiAccountPagesTests(ApiAccountPagesTests.Owner owner) : BrowserTest, IClassFixture<ApiAccountPagesTests.Owner>
{
    [Fact]
    public async Task Owner_OpensAnAccount_SeesTheSecretOnce_AssociatesAPlant_AndSeesTheThirdPartysRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await SignedInAsync(owner.Server.BaseAddress, owner.Email, Owner.Password, 1280, 900);
        await page.GotoAsync("/api-accounts");
        Assert.Equal(1, await page.Locator("#no-api-accounts").CountAsync());

        await page.FillAsync("#api-account-name", "Monitoring partner");
        await page.ClickAsync("#open-api-account");
        var clientId = await page.InnerTextAsync("#new-api-client-id");
        var secret = await page.InnerTextAsync("#new-api-secret-value");
        Assert.StartsWith("hac_", clientId, StringComparison.Ordinal);
        Assert.StartsWith("has_", secret, StringComparison.Ordinal);

        // Shown once: the list and the account's own page never show it again.
        await page.GotoAsync("/api-accounts");
        Assert.Equal(0, await page.Locator("#new-api-secret-value").CountAsync());
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync("table.api-accounts a");
        await page.WaitForURLAsync(url => url.Contains("/api-accounts/", StringComparison.Ordinal));
        var accountPage = page.Url;
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(clientId, await page.InnerTextAsync("#client-id"));

        await page.SelectOptionAsync("#api-plant", new[] { owner.PlantId.ToString() });
        await page.ClickAsync("#add-api-plant");
        await page.WaitForSelectorAsync($"#api-plants li[data-plant='{owner.PlantId}']");

        using var thirdParty = new HttpClient { BaseAddress = owner.Server.BaseAddress };
        var token = await thirdParty.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }), ct);
        Assert.True(token.IsSuccessStatusCode, $"token: {(int)token.StatusCode}");
        var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync(ct))!["access_token"]!.GetValue<string>();
        thirdParty.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var plant = await thirdParty.GetFromJsonAsync<JsonObject>($"/api/v1/plants/{owner.PlantId}", ct);
        Assert.Equal("Browser roof", plant!["name"]!.GetValue<string>());

        for (var i = 0; i < 40 && await page.Locator("table.api-requests tr[data-status='200']").CountAsync() == 0; i++)
        {
            await Task.Delay(250, ct);
            await page.GotoAsync(accountPage); // a GET: reloading would post the last form again
        }
        Assert.Contains("/api/v1/plants/{plantId:guid}", await page.InnerTextAsync("table.api-requests"), StringComparison.Ordinal);
        Assert.Empty(CspViolations);
    }

    public sealed class Owner : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();

        public string Email { get; } = $"api.{Guid.NewGuid():N}@example.com";

        public Guid PlantId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            var ct = TestContext.Current.CancellationToken;
            using var http = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, http, Email, Password, "API Owner", ct);
            var plant = await ServerApi.PostAsync(http, "/api/v1/plants", new { name = "Browser roof", latitude = 48.1, longitude = 11.6, timeZone = "Europe/Berlin", capacityKwp = 5.0 }, ct);
            PlantId = Guid.Parse(plant["id"]!.GetValue<string>());
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
