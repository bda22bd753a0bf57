using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Plants;

/// <summary>
/// What a plant looks like to those it is shared with: the street address is the owner's personal data, shown to the
/// owner and to managers only; the page offers each person only the controls they may use.
/// </summary>
public abstract class SharedPlantViewTests(HelioApp app)
{
    private const string Address = "Sonnenstraße 7, 80331 München";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheAddress_IsShownToTheOwnerAndManagers_Only()
    {
        var (owner, plant, _, api) = await app.ThirdPartyReadingAPlantAsync();
        await SetAddressAsync(owner, plant);
        var viewer = await app.RegisterOwnerAsync();
        var manager = await app.RegisterOwnerAsync();
        await app.ShareWithPersonAsync(owner, plant, viewer, "view");
        await app.ShareWithPersonAsync(owner, plant, manager, "manage");

        Assert.Equal(Address, await AddressAsync(owner.Client, plant));
        Assert.Equal(Address, await AddressAsync(manager.Client, plant));
        Assert.Null(await AddressAsync(viewer.Client, plant));
        Assert.Null(await AddressAsync(api, plant));
        Assert.DoesNotContain("Sonnenstraße", await (await app.SignedInAsync(viewer)).GetStringAsync($"/plants/{plant}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePlantPage_OffersEachPerson_OnlyTheControlsTheyMayUse()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var viewer = await app.RegisterOwnerAsync();
        var manager = await app.RegisterOwnerAsync();
        await app.ShareWithPersonAsync(owner, plant, viewer, "view");
        await app.ShareWithPersonAsync(owner, plant, manager, "manage");
        string[] managing = ["id=\"edit-plant\"", "id=\"add-device\"", "id=\"ingest-keys\""];
        const string deleting = "id=\"delete-plant\"";

        var ownerPage = await (await app.SignedInAsync(owner)).GetStringAsync($"/plants/{plant}", Ct);
        var managerPage = await (await app.SignedInAsync(manager)).GetStringAsync($"/plants/{plant}", Ct);
        var viewerPage = await (await app.SignedInAsync(viewer)).GetStringAsync($"/plants/{plant}", Ct);

        Assert.All(managing, c => Assert.Contains(c, ownerPage, StringComparison.Ordinal));
        Assert.Contains(deleting, ownerPage, StringComparison.Ordinal);
        Assert.All(managing, c => Assert.Contains(c, managerPage, StringComparison.Ordinal));
        Assert.DoesNotContain(deleting, managerPage, StringComparison.Ordinal);
        Assert.All([.. managing, deleting], c => Assert.DoesNotContain(c, viewerPage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePlantList_OfAnOwnerWhoIsAlsoSharedAPlant_HoldsBoth_InNameOrder()
    {
        // Most people see only their own plants, and the list reads those from the owner's index; a share must
        // switch it to the whole rule, in order and counted, on the very next request.
        var owner = await app.RegisterOwnerAsync();
        var shared = await owner.CreatePlantAsync("B shared");
        var viewer = await app.RegisterOwnerAsync();
        await viewer.CreatePlantAsync("A own");
        await viewer.CreatePlantAsync("C own");
        Assert.Equal(["A own", "C own"], await NamesAsync(viewer, ""));

        await app.ShareWithPersonAsync(owner, shared, viewer);

        Assert.Equal(["A own", "B shared", "C own"], await NamesAsync(viewer, ""));
        Assert.Equal(["B shared"], await NamesAsync(viewer, "?page=2&pageSize=1"));
        var page = await (await viewer.Client.GetAsync("/api/v1/plants?pageSize=1", Ct)).JsonAsync();
        Assert.Equal(3, page.GetProperty("total").GetInt32());
    }

    private static async Task<string[]> NamesAsync(Owner owner, string query)
    {
        var page = await (await owner.Client.GetAsync("/api/v1/plants" + query, Ct)).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
    }

    private static async Task SetAddressAsync(Owner owner, Guid plant)
    {
        var current = await owner.Client.GetFromJsonAsync<Dictionary<string, JsonElement>>($"/api/v1/plants/{plant}", Ct);
        var body = current!.ToDictionary(p => p.Key, p => (object?)p.Value);
        body["address"] = Address;
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.PutAsJsonAsync($"/api/v1/plants/{plant}", body, Ct)).StatusCode);
    }

    private static async Task<string?> AddressAsync(HttpClient client, Guid plant)
    {
        var body = await (await client.GetAsync($"/api/v1/plants/{plant}", Ct)).JsonAsync();
        return body.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String ? address.GetString() : null;
    }
}

public sealed class SqliteSharedPlantViewTests(SqliteApp app) : SharedPlantViewTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresSharedPlantViewTests(PostgresApp app) : SharedPlantViewTests(app), IClassFixture<PostgresApp>;
