using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Plants;

public abstract class DeviceTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string InverterSerial() => "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);

    private static string LoggerSerial() => "27" + Random.Shared.Next(10_000_000, 99_999_999);

    [Fact]
    public async Task Register_List_Move_Unbind()
    {
        var owner = await app.RegisterOwnerAsync();
        var roof = await owner.CreatePlantAsync("Roof");
        var barn = await owner.CreatePlantAsync("Barn");
        var inverter = InverterSerial();
        var logger = LoggerSerial();

        var created = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{roof}/devices", new { serialNumber = inverter.ToLowerInvariant(), kind = "inverter", model = "SOFAR 10KTLX-G3" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(inverter, (await created.JsonAsync()).GetProperty("serialNumber").GetString());
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{roof}/devices", new { serialNumber = logger, kind = "logger" }, Ct)).StatusCode);

        var list = await (await owner.Client.GetAsync($"/api/v1/plants/{roof}/devices", Ct)).JsonAsync();
        Assert.Equal(2, list.GetArrayLength());

        var move = await owner.Client.PutAsJsonAsync($"/api/v1/devices/{inverter}", new { model = "SOFAR 12KTLX-G3", plantId = barn }, Ct);
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        var moved = await (await owner.Client.GetAsync($"/api/v1/devices/{inverter}", Ct)).JsonAsync();
        Assert.Equal(barn, moved.GetProperty("plantId").GetGuid());
        Assert.Equal("SOFAR 12KTLX-G3", moved.GetProperty("model").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/devices/{inverter}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/api/v1/devices/{inverter}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("logger", "271234567")]
    [InlineData("logger", "27123456789")]
    [InlineData("logger", "27123A5678")]
    [InlineData("logger", "4294967296")] // one more than the V5 protocol's 32-bit serial can carry
    [InlineData("inverter", "SS1")]
    [InlineData("inverter", "SS1ES120P38069-")]
    [InlineData("inverter", "ABCDEFGH")]
    public async Task Register_BadSerial_400NamingSerialNumber(string kind, string serial)
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();

        var response = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("serialNumber", out _));
    }

    [Fact]
    public async Task Register_UnknownKind_400NamingKind()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();

        var response = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = "2712345678", kind = "battery" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task Register_SerialBoundElsewhere_Refused_WithoutSayingWhose()
    {
        var owner = await app.RegisterOwnerAsync(name: "Alice Owner");
        var thief = await app.RegisterOwnerAsync();
        var serial = InverterSerial();
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{await owner.CreatePlantAsync("Alice roof")}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);

        var hijack = await thief.Client.PostAsJsonAsync($"/api/v1/plants/{await thief.CreatePlantAsync()}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        var ownAgain = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{await owner.CreatePlantAsync("Second")}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, hijack.StatusCode);
        var text = await hijack.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Email, text, StringComparison.Ordinal);
        Assert.Equal((await ownAgain.JsonAsync()).GetProperty("detail").GetString(), (await hijack.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await thief.Client.GetAsync($"/api/v1/devices/{serial}", Ct)).StatusCode);
    }

    [Fact]
    public async Task UnbindingAPlant_ByDeletingIt_ReleasesItsSerials()
    {
        var first = await app.RegisterOwnerAsync();
        var second = await app.RegisterOwnerAsync();
        var serial = LoggerSerial();
        var plant = await first.CreatePlantAsync();
        await first.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "logger" }, Ct);

        await first.Client.DeleteAsync($"/api/v1/plants/{plant}", Ct);
        var claimed = await second.Client.PostAsJsonAsync($"/api/v1/plants/{await second.CreatePlantAsync()}/devices", new { serialNumber = serial, kind = "logger" }, Ct);

        Assert.Equal(HttpStatusCode.Created, claimed.StatusCode);
    }

    [Fact]
    public async Task Move_ToSomeoneElsesPlant_Refused()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var serial = LoggerSerial();
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{await owner.CreatePlantAsync()}/devices", new { serialNumber = serial, kind = "logger" }, Ct);

        var move = await owner.Client.PutAsJsonAsync($"/api/v1/devices/{serial}", new { plantId = await stranger.CreatePlantAsync() }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, move.StatusCode);
        Assert.True((await move.JsonAsync()).GetProperty("errors").TryGetProperty("plantId", out _));
    }
}

public sealed class SqliteDeviceTests(SqliteApp app) : DeviceTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresDeviceTests(PostgresApp app) : DeviceTests(app), IClassFixture<PostgresApp>;
