using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Notifications;

/// <summary>General and per-plant notification settings through the API.</summary>
public abstract class NotificationSettingsTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewUser_GetsTheDefaults_AndAPutIsKept()
    {
        var owner = await app.RegisterOwnerAsync();

        var defaults = await (await owner.Client.GetAsync("/api/v1/notification-settings", Ct)).JsonAsync();
        Assert.Equal("warning", defaults.GetProperty("minSeverity").GetString());
        Assert.True(defaults.GetProperty("email").GetBoolean());
        Assert.Equal(7, defaults.GetProperty("digestHour").GetInt32());
        Assert.Equal("UTC", defaults.GetProperty("timeZone").GetString());

        var put = await owner.Client.PutAsJsonAsync("/api/v1/notification-settings", new
        {
            minSeverity = "major", email = false, push = true, dailyDigest = true, digestHour = 18, quietFrom = "22:00", quietUntil = "06:30", timeZone = "Europe/Berlin",
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var read = await (await owner.Client.GetAsync("/api/v1/notification-settings", Ct)).JsonAsync();
        Assert.Equal("major", read.GetProperty("minSeverity").GetString());
        Assert.False(read.GetProperty("email").GetBoolean());
        Assert.Equal(18, read.GetProperty("digestHour").GetInt32());
        Assert.Equal("22:00", read.GetProperty("quietFrom").GetString());
        Assert.Equal("06:30", read.GetProperty("quietUntil").GetString());
        Assert.Equal("Europe/Berlin", read.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("digestHour", 24, null, null, "UTC")]
    [InlineData("quietFrom", 7, "25:00", "06:00", "UTC")]
    [InlineData("quietUntil", 7, "22:00", null, "UTC")]
    [InlineData("timeZone", 7, null, null, "Mars/Olympus")]
    public async Task InvalidSettings_Answer400_NamingTheField(string field, int digestHour, string? quietFrom, string? quietUntil, string timeZone)
    {
        var owner = await app.RegisterOwnerAsync();

        var response = await owner.Client.PutAsJsonAsync("/api/v1/notification-settings", new { digestHour, quietFrom, quietUntil, timeZone }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task PlantOverride_IsSet_Read_AndRemoved()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var url = $"/api/v1/plants/{plant}/notification-settings";

        var before = await (await owner.Client.GetAsync(url, Ct)).JsonAsync();
        Assert.False(before.GetProperty("overridden").GetBoolean());

        var put = await owner.Client.PutAsJsonAsync(url, new { minSeverity = "critical", email = true, push = false, muted = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await (await owner.Client.GetAsync(url, Ct)).JsonAsync();
        Assert.True(after.GetProperty("overridden").GetBoolean());
        Assert.Equal("critical", after.GetProperty("minSeverity").GetString());
        Assert.True(after.GetProperty("muted").GetBoolean());

        var missing = await owner.Client.PutAsJsonAsync(url, new { muted = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("minSeverity", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync(url, Ct)).StatusCode);
        Assert.False((await (await owner.Client.GetAsync(url, Ct)).JsonAsync()).GetProperty("overridden").GetBoolean());
    }

    [Fact]
    public async Task ForeignPlant_Answers404_LikeAMissingOne()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{plant}/notification-settings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PutAsJsonAsync($"/api/v1/plants/{plant}/notification-settings", new { minSeverity = "info" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/plants/{plant}/notification-settings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/plants/{Guid.NewGuid()}/notification-settings", Ct)).StatusCode);
    }
}

public sealed class SqliteNotificationSettingsTests(SqliteApp app) : NotificationSettingsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresNotificationSettingsTests(PostgresApp app) : NotificationSettingsTests(app), IClassFixture<PostgresApp>;
