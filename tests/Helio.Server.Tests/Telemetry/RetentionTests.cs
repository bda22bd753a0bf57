using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Telemetry;

/// <summary>Raw readings past Telemetry:RawRetentionDays (730) go; rollups stay; PostgreSQL has its months ahead.</summary>
public abstract class RetentionTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadingsPastRetention_AreDeleted_TheirRollupsAndNewerReadingsStay()
    {
        app.RequireAvailable();
        var serial = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        var now = DateTimeOffset.UtcNow;
        // PostgreSQL drops whole months, so "old" is a month wholly before the cutoff there; SQLite deletes to the day.
        var old = now.AddDays(-800);
        var kept = now.AddDays(-700);
        await StoredReadings.StoreAsync(app, [StoredReadings.Reading(serial, null, old), StoredReadings.Reading(serial, null, kept)], Ct);
        await SunnyDay.RollUpAllAsync(app, Ct);

        await app.Services.GetRequiredService<TelemetryMaintenance>().RunOnceAsync(Ct);

        var left = Assert.Single(await StoredReadings.OfAsync(app, serial, Ct));
        Assert.Equal(kept.ToUnixTimeMilliseconds(), left.At.ToUnixTimeMilliseconds());
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var number = await db.TelemetryDevices.Where(d => d.Serial == serial).Select(d => d.Number).SingleAsync(Ct);
        Assert.True(await db.DeviceRollups.AnyAsync(r => r.Device == number && r.Level == RollupLevel.Year && r.Period == old.Year, Ct));
    }
}

public sealed class SqliteRetentionTests(SqliteApp app) : RetentionTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresRetentionTests(PostgresApp app) : RetentionTests(app), IClassFixture<PostgresApp>
{
    private readonly HelioApp app = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThisMonthAndTheNextTwo_HavePartitions()
    {
        app.RequireAvailable();
        await app.Services.GetRequiredService<TelemetryMaintenance>().RunOnceAsync(Ct);

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var names = await db.Database.SqlQuery<string>($"SELECT c.relname AS \"Value\" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'readings'").ToListAsync(Ct);
        var month = new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var ahead in new[] { 0, 1, 2 })
        {
            var m = month.AddMonths(ahead);
            Assert.Contains(ReadingPartitions.Name(m.Year, m.Month), names);
        }
    }
}
