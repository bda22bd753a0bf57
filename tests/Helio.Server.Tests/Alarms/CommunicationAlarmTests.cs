using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Gateway;
using Helio.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Alarms;

/// <summary>
/// Link quality: the gateway's sessions count each logger's answered and failed requests and bad frames in
/// <see cref="LoggerLinks"/> (one call each, in LoggerSession); here the counts are fed directly, and the check the
/// server runs every minute turns them into an alarm, and back.
/// </summary>
public abstract class CommunicationAlarmTests(AlarmClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyFailedRequests_RaiseACommunicationAlarm_ClearedWhenTheLinkRecovers()
    {
        var owner = await app.RegisterOwnerAsync();
        var plantId = await owner.CreatePlantAsync("Weak Wi-Fi", "UTC");
        var serial = (uint)Random.Shared.Next(1_000_000_000, 2_000_000_000);
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plantId}/devices", new { serialNumber = LoggerSerials.Format(serial), kind = "logger" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var links = app.Services.GetRequiredService<LoggerLinks>();
        var checks = app.Services.GetRequiredService<AlarmChecks>();

        for (var i = 0; i < 12; i++)
        {
            links.Request(serial, answered: i % 2 == 0);
        }
        await checks.RunOnceAsync(Ct);
        var alarms = await AlarmsAsync(owner, plantId, "active");
        var alarm = Assert.Single(alarms);
        Assert.Equal("communication", alarm.GetProperty("source").GetString());
        var explanation = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/{alarm.GetProperty("id").GetGuid()}/explanation", Ct);
        Assert.Equal("6", explanation.GetProperty("explanation").GetProperty("inputs").GetProperty("failed").GetString());

        // The window slides past the bad half hour; a healthy one follows.
        await app.AdvanceAsync(TimeSpan.FromMinutes(31));
        // Access tokens live 15 minutes of the (fake) clock: sign in again.
        owner.Client.DefaultRequestHeaders.Authorization = new("Bearer", (await app.TokenAsync(owner.Email, Owners.Password)).AccessToken);
        for (var i = 0; i < 20; i++)
        {
            links.Request(serial, answered: true);
        }
        await checks.RunOnceAsync(Ct);
        Assert.Empty(await AlarmsAsync(owner, plantId, "active"));
        Assert.Single(await AlarmsAsync(owner, plantId, "cleared"));
    }

    private static async Task<List<JsonElement>> AlarmsAsync(Owner owner, Guid plantId, string state) =>
        (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/plants/{plantId}/alarms?state={state}", Ct)).GetProperty("alarms").EnumerateArray().ToList();
}

public sealed class SqliteCommunicationAlarmTests(SqliteAlarmClockApp app) : CommunicationAlarmTests(app), IClassFixture<SqliteAlarmClockApp>;

public sealed class PostgresCommunicationAlarmTests(PostgresAlarmClockApp app) : CommunicationAlarmTests(app), IClassFixture<PostgresAlarmClockApp>;
