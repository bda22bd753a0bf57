using System.Globalization;
using Helio.Server.Features.Demo;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Gateway;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Demo;

/// <summary>
/// --demo's simulated loggers, in the running server: over real TCP into its own gateway, readings stored, inverters
/// added to the demo plants; stopped with the server.
/// </summary>
public abstract class DemoLoggersTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADemoServer_StoresReadingsOfItsDemoLoggers_AndTheirInvertersJoinTheDemoPlants()
    {
        app.RequireAvailable();
        var expected = DemoPlants.All.Select(p => (Logger: p.LoggerSerial.ToString("D10", CultureInfo.InvariantCulture), Inverter: p.InverterSerial)).ToList();

        await SeedDemoAsync(app);

        await Eventually.True(async () =>
        {
            await using var scope = app.Scope();
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var serials = expected.SelectMany(e => new[] { e.Logger, e.Inverter }).ToList();
            var stored = (await db.TelemetryDevices.AsNoTracking().Where(d => serials.Contains(d.Serial) && db.Readings.Any(r => r.Device == d.Number))
                .Select(d => new { d.LoggerSerial, d.Serial }).ToListAsync(Ct))
                .Select(d => (d.LoggerSerial, d.Serial)).ToHashSet();
            var plants = await db.Devices.AsNoTracking().Where(d => serials.Contains(d.SerialNumber))
                .ToDictionaryAsync(d => (d.SerialNumber, d.Kind), d => d.PlantId, Ct);
            return expected.All(e => stored.Contains((e.Logger, e.Inverter))
                && plants.TryGetValue((e.Inverter, DeviceKind.Inverter), out var plant) && plants[(e.Logger, DeviceKind.Logger)] == plant);
        }, "every demo logger's readings stored and its inverter on its plant", TimeSpan.FromSeconds(30));
    }

    /// <summary>What --demo does at start (Startup.PrepareAsync): seed, which arms the demo loggers.</summary>
    internal static async Task SeedDemoAsync(HelioApp app)
    {
        await using var scope = app.Scope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(Ct);
    }
}

public sealed class SqliteDemoLoggersTests(SqliteApp app) : DemoLoggersTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresDemoLoggersTests(PostgresApp app) : DemoLoggersTests(app), IClassFixture<PostgresApp>;

/// <summary>Shutting down a demo server: its loggers leave the gateway cleanly (an app of its own, as it stops them).</summary>
public sealed class DemoShutdownTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task WhenTheServerStops_TheDemoLoggersDisconnect_WithoutErrors()
    {
        var gateway = app.Services.GetRequiredService<GatewayListener>();
        await DemoLoggersTests.SeedDemoAsync(app);
        await Eventually.True(() => gateway.ActiveConnections == DemoPlants.All.Count, "the demo loggers connected");

        // What the host does with every hosted service when the server stops.
        var stopping = app.Services.GetRequiredService<DemoLoggers>().StopAsync(TestContext.Current.CancellationToken);
        await stopping.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Eventually.True(() => gateway.ActiveConnections == 0, "the demo loggers disconnected");

        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Demo", StringComparison.Ordinal));
    }
}
