using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Telemetry;

/// <summary>The raw store through its one writer, on each database: values, duplicates, late data, rollup marks.</summary>
public abstract class ReadingStoreTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Serial() => "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);

    [Fact]
    public async Task EveryMetric_StateAndFaults_RoundTripAtTheirResolution()
    {
        app.RequireAvailable();
        var serial = Serial();
        var reading = new InverterReading { State = InverterState.Fault, RawState = 5 };
        foreach (var metric in Enum.GetValues<Metric>())
        {
            reading.Set(metric, 1234.567 + (int)metric);
        }
        reading.Set(Metric.EnergyTotalKwh, 98_765_432.1); // beyond 32 bits in hundredths
        reading.Set(Metric.GridPowerW, -3200);
        reading.Faults.Add(7);
        reading.Faults.Add(200);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        var stored = await StoredReadings.StoreAsync(app, [new TelemetryReading(serial, "1234567890", at.ToUnixTimeMilliseconds(), reading)], Ct);
        Assert.Equal([true], stored);

        var row = Assert.Single(await StoredReadings.OfAsync(app, serial, Ct));
        Assert.Equal(at.ToUnixTimeMilliseconds(), row.At.ToUnixTimeMilliseconds());
        Assert.Equal("fault", row.State);
        Assert.Equal([7, 200], row.Faults);
        Assert.Equal(Metrics.Count, row.Values.Count);
        Assert.Equal(1235, row.Values["activePowerW"]); // whole watts
        Assert.Equal(1238.6, row.Values["pv1VoltageV"], 6); // 0.1 V
        Assert.Equal(1239.57, row.Values["pv1CurrentA"], 6); // 0.01 A
        Assert.Equal(98_765_432.1, row.Values["energyTotalKwh"], 6);
        Assert.Equal(-3200, row.Values["gridPowerW"]);
        Assert.Equal("1234567890", await StoredReadings.LoggerOfAsync(app, serial, Ct));
    }

    [Fact]
    public async Task AValueItsColumnCannotHold_IsStoredAsAbsent_NotWrapped()
    {
        app.RequireAvailable();
        var serial = Serial();
        var reading = new InverterReading { State = InverterState.OnGrid };
        reading.Set(Metric.EnergyTodayKwh, 30_000_000); // a garbage 32-bit register: 3e9 hundredths, beyond int
        reading.Set(Metric.ActivePowerW, 1500);

        await StoredReadings.StoreAsync(app, [new TelemetryReading(serial, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), reading)], Ct);

        var row = Assert.Single(await StoredReadings.OfAsync(app, serial, Ct));
        Assert.False(row.Values.ContainsKey("energyTodayKwh"));
        Assert.Equal(1500, row.Values["activePowerW"]);
    }

    [Fact]
    public async Task AReadingSentTwice_IsStoredOnce_WithinABatchAndAcrossBatches()
    {
        app.RequireAvailable();
        var serial = Serial();
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        var first = StoredReadings.Reading(serial, null, at, 100);

        var results = await StoredReadings.StoreAsync(app, [first, StoredReadings.Reading(serial, null, at.AddMinutes(5)), first], Ct);
        var again = await StoredReadings.StoreAsync(app, [StoredReadings.Reading(serial, null, at, 999)], Ct);

        Assert.Equal([true, true, false], results);
        Assert.Equal([false], again);
        var rows = await StoredReadings.OfAsync(app, serial, Ct);
        Assert.Equal(2, rows.Count);
        Assert.Equal(100, rows[0].Values["activePowerW"]); // the first one stays
    }

    [Fact]
    public async Task ConcurrentSubmitters_AllGetTheirAnswer_AndEveryReadingIsStored()
    {
        app.RequireAvailable();
        var serials = Enumerable.Range(0, 20).Select(_ => Serial()).ToList();
        var start = DateTimeOffset.UtcNow.AddHours(-2);

        var answers = await Task.WhenAll(serials.Select(serial => Task.Run(async () =>
        {
            var stored = 0;
            for (var i = 0; i < 50; i++)
            {
                stored += (await StoredReadings.StoreAsync(app, [StoredReadings.Reading(serial, null, start.AddSeconds(i * 60))], Ct)).Count(s => s);
            }
            return stored;
        }, Ct)));

        Assert.All(answers, stored => Assert.Equal(50, stored));
        foreach (var serial in serials)
        {
            Assert.Equal(50, (await StoredReadings.OfAsync(app, serial, Ct)).Count);
        }
    }

    [Fact]
    public async Task LateData_FromLastYear_IsStored_AndItsBucketMarkedForRollup()
    {
        app.RequireAvailable();
        var serial = Serial();
        var late = new DateTimeOffset(DateTimeOffset.UtcNow.Year - 1, 2, 3, 10, 2, 30, TimeSpan.Zero);

        var stored = await StoredReadings.StoreAsync(app, [StoredReadings.Reading(serial, null, late)], Ct);
        Assert.Equal([true], stored);

        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var bucket = new DateTimeOffset(late.Year, 2, 3, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.True(await db.RollupDirty.AnyAsync(d => d.Bucket == bucket, Ct) || await db.DeviceRollups.AnyAsync(r => r.Period == bucket, Ct));
    }
}

public sealed class SqliteReadingStoreTests(SqliteApp app) : ReadingStoreTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresReadingStoreTests(PostgresApp app) : ReadingStoreTests(app), IClassFixture<PostgresApp>;
