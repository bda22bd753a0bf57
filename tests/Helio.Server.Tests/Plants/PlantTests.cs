using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Plants;

public abstract class PlantTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_Read_Update_Delete()
    {
        var owner = await app.RegisterOwnerAsync();
        var create = await owner.Client.PostAsJsonAsync("/api/v1/plants", new
        {
            name = "Roof", latitude = 48.137, longitude = 11.575, address = "Marienplatz 1, München", country = "DE",
            timeZone = "Europe/Berlin", capacityKwp = 9.8, commissioningDate = "2024-04-01", feedInTariff = 0.082, currency = "EUR",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var id = (await create.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/plants/{id}", create.Headers.Location?.ToString());

        var read = await (await owner.Client.GetAsync($"/api/v1/plants/{id}", Ct)).JsonAsync();
        Assert.Equal("Roof", read.GetProperty("name").GetString());
        Assert.Equal("Marienplatz 1, München", read.GetProperty("address").GetString());
        Assert.Equal("Europe/Berlin", read.GetProperty("timeZone").GetString());
        Assert.Equal(9.8, read.GetProperty("capacityKwp").GetDouble());

        var update = await owner.Client.PutAsJsonAsync($"/api/v1/plants/{id}", new { name = "Roof west", latitude = 48.1, longitude = 11.5, timeZone = "Europe/Vienna", capacityKwp = 12.0 }, Ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await update.JsonAsync();
        Assert.Equal("Roof west", updated.GetProperty("name").GetString());
        Assert.Equal(JsonValueKindNull, updated.GetProperty("address").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/api/v1/plants/{id}", Ct)).StatusCode);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Theory]
    [InlineData("name", "", 0.0, 0.0, "UTC", 1.0)]
    [InlineData("name", "x101", 0.0, 0.0, "UTC", 1.0)]
    [InlineData("latitude", "ok", -90.5, 0.0, "UTC", 1.0)]
    [InlineData("latitude", "ok", 90.5, 0.0, "UTC", 1.0)]
    [InlineData("longitude", "ok", 0.0, 180.5, "UTC", 1.0)]
    [InlineData("longitude", "ok", 0.0, -180.5, "UTC", 1.0)]
    [InlineData("timeZone", "ok", 0.0, 0.0, "Mars/Olympus", 1.0)]
    [InlineData("timeZone", "ok", 0.0, 0.0, "W. Europe Standard Time", 1.0)]
    [InlineData("capacityKwp", "ok", 0.0, 0.0, "UTC", 0.0)]
    [InlineData("capacityKwp", "ok", 0.0, 0.0, "UTC", 1_000_000.5)]
    public async Task Create_InvalidField_400NamingIt_NothingWritten(string field, string name, double latitude, double longitude, string timeZone, double capacity)
    {
        var owner = await app.RegisterOwnerAsync();
        var plantName = name == "x101" ? new string('x', 101) : name;

        var response = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name = plantName, latitude, longitude, timeZone, capacityKwp = capacity }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        var list = await (await owner.Client.GetAsync("/api/v1/plants", Ct)).JsonAsync();
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Create_MalformedJson_400NamingTheField()
    {
        var owner = await app.RegisterOwnerAsync();
        var body = new StringContent("""{"name":"Roof","latitude":"north","longitude":1,"timeZone":"UTC","capacityKwp":1}""", System.Text.Encoding.UTF8, "application/json");

        var response = await owner.Client.PostAsync("/api/v1/plants", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("latitude", out _));
    }

    [Fact]
    public async Task Create_OversizedBody_413()
    {
        var owner = await app.RegisterOwnerAsync();
        var body = new StringContent($$"""{"name":"{{new string('x', 2 * 1024 * 1024)}}"}""", System.Text.Encoding.UTF8, "application/json");

        var response = await owner.Client.PostAsync("/api/v1/plants", body, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Create_OwnerIdInBody_IsIgnored_CreatorOwnsThePlant()
    {
        var owner = await app.RegisterOwnerAsync();
        var other = await app.RegisterOwnerAsync();
        var otherId = (await (await other.Client.GetAsync("/api/v1/me", Ct)).JsonAsync()).GetProperty("id").GetGuid();

        var response = await owner.Client.PostAsJsonAsync("/api/v1/plants", new { name = "Mine", latitude = 1, longitude = 1, timeZone = "UTC", capacityKwp = 1, ownerId = otherId, id = Guid.Empty }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/plants/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/v1/plants/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task List_SearchesSortsAndPages()
    {
        var owner = await app.RegisterOwnerAsync();
        foreach (var name in new[] { "Alpha roof", "Beta barn", "Gamma roof", "Delta shed", "Epsilon roof" })
        {
            await owner.CreatePlantAsync(name);
        }

        var roofs = await (await owner.Client.GetAsync("/api/v1/plants?q=ROOF", Ct)).JsonAsync();
        Assert.Equal(3, roofs.GetProperty("total").GetInt32());
        Assert.Equal(["Alpha roof", "Epsilon roof", "Gamma roof"], Names(roofs));

        var byName = await (await owner.Client.GetAsync("/api/v1/plants?page=2&pageSize=2&q=E", Ct)).JsonAsync();
        Assert.Equal(3, byName.GetProperty("total").GetInt32());
        Assert.Equal(["Epsilon roof"], Names(byName));

        var pastTheEnd = await (await owner.Client.GetAsync("/api/v1/plants?page=4&pageSize=2&q=roof", Ct)).JsonAsync();
        Assert.Equal(3, pastTheEnd.GetProperty("total").GetInt32());
        Assert.Empty(Names(pastTheEnd));

        var page2 = await (await owner.Client.GetAsync("/api/v1/plants?sort=-name&page=2&pageSize=2", Ct)).JsonAsync();
        Assert.Equal(5, page2.GetProperty("total").GetInt32());
        Assert.Equal(["Delta shed", "Beta barn"], Names(page2));

        var bad = await owner.Client.GetAsync("/api/v1/plants?pageSize=1000&sort=owner", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("pageSize", out _));
        Assert.True(errors.TryGetProperty("sort", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?sort=name&q=plant")]
    [InlineData("?sort=-capacity")]
    [InlineData("?sort=created&q=plant")]
    public async Task List_ShowsOnlyTheCallersPlants_InEveryOrder(string query)
    {
        var owner = await app.RegisterOwnerAsync();
        var neighbour = await app.RegisterOwnerAsync();
        await owner.CreatePlantAsync("Plant of the owner");
        await neighbour.CreatePlantAsync("Plant of the neighbour");

        var list = await (await owner.Client.GetAsync("/api/v1/plants" + query, Ct)).JsonAsync();

        Assert.Equal(["Plant of the owner"], Names(list));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    private static IEnumerable<string?> Names(System.Text.Json.JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
}

public sealed class SqlitePlantTests(SqliteApp app) : PlantTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPlantTests(PostgresApp app) : PlantTests(app), IClassFixture<PostgresApp>;
