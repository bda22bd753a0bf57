using System.Net;
using Helio.Server.Tests.Alarms;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Access;

/// <summary>
/// A grant ends by itself: on a fake clock, the engineer's next request after the end finds no plant, the request shows
/// "expired" (its stored state stays approved), and there is nothing left to revoke.
/// </summary>
public abstract class AccessExpiryTests(AlarmClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AGrant_EndsByItself_AtItsEnd()
    {
        var (owner, plant, engineer, request) = await app.GrantedAsync(hours: 2);
        Assert.Equal(HttpStatusCode.OK, (await engineer.Client.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1));
        // Access tokens last 15 minutes on this clock too: sign in again, so that only the grant decides.
        var fresh = app.WithToken((await app.TokenAsync(engineer.Email, engineer.Password)).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct)).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.NotFound, (await fresh.GetAsync($"/api/v1/plants/{plant}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fresh.GetAsync($"/api/v1/plants/{plant}/owner-contact", Ct)).StatusCode);

        var ownerClient = app.WithToken((await app.TokenAsync(owner.Email, owner.Password)).AccessToken);
        var seen = await (await ownerClient.GetAsync($"/api/v1/access-requests/{request}", Ct)).JsonAsync();
        Assert.Equal("expired", seen.GetProperty("state").GetString());
        Assert.False(seen.GetProperty("canRevoke").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await ownerClient.PostAsync($"/api/v1/access-requests/{request}/revoke", null, Ct)).StatusCode);
        Assert.Empty((await (await ownerClient.GetAsync("/api/v1/access-requests", Ct)).JsonAsync()).GetProperty("activeGrants").EnumerateArray());
    }
}

public sealed class SqliteAccessExpiryTests(SqliteAlarmClockApp app) : AccessExpiryTests(app), IClassFixture<SqliteAlarmClockApp>;

public sealed class PostgresAccessExpiryTests(PostgresAlarmClockApp app) : AccessExpiryTests(app), IClassFixture<PostgresAlarmClockApp>;
