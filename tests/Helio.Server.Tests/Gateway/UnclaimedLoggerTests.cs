using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Gateway;

/// <summary>Support's list of loggers that send data nobody has registered: for the support role only, registered loggers never on it.</summary>
public abstract class UnclaimedLoggerTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string LoggerSerial() => Random.Shared.Next(1_000_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task SupportSeesUnclaimedLoggers_OthersAreRefused_AndARoleRemovedStopsAtOnce()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var registered = LoggerSerial();
        var unclaimed = LoggerSerial();
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = registered, kind = "logger" }, Ct);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await StoredReadings.StoreAsync(app,
            [.. new[] { (unclaimed, 10), (unclaimed, 5), (registered, 1) }.Select(r => StoredReadings.Reading("SS1ES" + r.Item1, r.Item1, now.AddMinutes(-r.Item2)))], Ct);
        var engineer = await app.RegisterOwnerAsync(name: "Sam Support");
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.Client.GetAsync("/api/v1/support/unclaimed-loggers", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/support/unclaimed-loggers", Ct)).StatusCode);
        var engineerId = (await (await engineer.Client.GetAsync("/api/v1/me", Ct)).JsonAsync()).GetProperty("id").GetGuid();

        await SetRoleAsync(engineerId, add: true);
        var list = await (await engineer.Client.GetAsync("/api/v1/support/unclaimed-loggers", Ct)).JsonAsync();
        await SetRoleAsync(engineerId, add: false);

        var entry = list.EnumerateArray().Single(l => l.GetProperty("loggerSerial").GetString() == unclaimed);
        Assert.Equal(2, entry.GetProperty("readings").GetInt32());
        Assert.Equal("SS1ES" + unclaimed, entry.GetProperty("inverterSerial").GetString());
        Assert.Equal(now.AddMinutes(-10), entry.GetProperty("firstReadingAt").GetDateTimeOffset());
        Assert.False(entry.GetProperty("connectedToThisNode").GetBoolean());
        Assert.DoesNotContain(list.EnumerateArray(), l => l.GetProperty("loggerSerial").GetString() == registered);
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.Client.GetAsync("/api/v1/support/unclaimed-loggers", Ct)).StatusCode);
    }

    private async Task SetRoleAsync(Guid userId, bool add)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        if (add)
        {
            db.UserRoles.Add(new UserRole { UserId = userId, Role = Roles.Support });
            await db.SaveChangesAsync(Ct);
        }
        else
        {
            await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(Ct);
        }
    }
}

public sealed class SqliteUnclaimedLoggerTests(SqliteApp app) : UnclaimedLoggerTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresUnclaimedLoggerTests(PostgresApp app) : UnclaimedLoggerTests(app), IClassFixture<PostgresApp>;
