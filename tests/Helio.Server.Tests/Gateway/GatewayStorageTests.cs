using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Gateway;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Helio.Simulator.Inverters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Gateway;

/// <summary>The whole path in the running server: simulated logger → TCP → gateway → batched store.</summary>
public abstract class GatewayStorageTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALoggersPolledReadings_AreStored()
    {
        app.RequireAvailable();
        var serial = (uint)Random.Shared.Next(1_000_000_000, int.MaxValue);
        var inverterSerial = $"SS1ES{serial}";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var (running, inverter) = await ConnectAsync(serial, inverterSerial, stop.Token);

        RawReadingDto? row = null;
        await Eventually.True(async () =>
        {
            row = (await StoredReadings.OfAsync(app, inverterSerial, Ct)).FirstOrDefault();
            return row is not null;
        }, "a reading is stored", TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.NotNull(row);
        Assert.Equal(serial.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), await StoredReadings.LoggerOfAsync(app, inverterSerial, Ct));
        Assert.Equal("onGrid", row.State);
        var values = row.Values;
        Assert.Equal(inverter.ActivePowerW, values["activePowerW"], tolerance: 10.0);
        Assert.True(values.ContainsKey("energyTotalKwh"));

        // The same path, counted: the scrape endpoint shows the frames, the answered requests and the stored reading.
        // The exporter caches a scrape for a moment (another test may just have scraped, after an earlier test's frames
        // but before this reading), so wait for a fresh one: one that has this test's stored reading.
        var metrics = "";
        await Eventually.True(async () =>
        {
            metrics = await ScrapeAsync(IPAddress.Loopback);
            return metrics.Contains("helio_gateway_frames_total", StringComparison.Ordinal)
                && metrics.Contains("helio_readings_total{otel_scope_name=\"Helio.Gateway\",outcome=\"stored\",source=\"gateway\"}", StringComparison.Ordinal);
        }, "a scrape with the gateway's metrics", TimeSpan.FromSeconds(10));
        Assert.Contains("helio_gateway_frames_total{otel_scope_name=\"Helio.Gateway\",type=\"handshake\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("helio_gateway_request_duration_seconds_count{otel_scope_name=\"Helio.Gateway\",outcome=\"answered\"}", metrics, StringComparison.Ordinal);
        Assert.Matches("helio_readings_total\\{otel_scope_name=\"Helio.Gateway\",outcome=\"stored\",source=\"gateway\"\\} [1-9]", metrics);
    }

    [Fact]
    public async Task TheInverterBehindARegisteredLogger_IsAddedToItsPlant()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var serial = (uint)Random.Shared.Next(1_000_000_000, int.MaxValue);
        var inverterSerial = $"SS1ES{serial}";
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial.ToString(System.Globalization.CultureInfo.InvariantCulture), kind = "logger" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var (running, _) = await ConnectAsync(serial, inverterSerial, stop.Token);
        await Eventually.True(async () =>
        {
            var devices = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/devices", Ct)).JsonAsync();
            return devices.EnumerateArray().Any(d => d.GetProperty("serialNumber").GetString() == inverterSerial);
        }, "the inverter appears on the plant", TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task ReadingsOfUnclaimedLoggers_AreDeletedAfterSevenDays_RegisteredOnesStay()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var claimed = Random.Shared.Next(1_000_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var unclaimed = Random.Shared.Next(1_000_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = claimed, kind = "logger" }, Ct)).StatusCode);
        var now = DateTimeOffset.UtcNow;
        await StoredReadings.StoreAsync(app,
        [
            StoredReadings.Reading("SS1ES" + claimed, claimed, now.AddDays(-8)),
            StoredReadings.Reading("SS1ES" + unclaimed, unclaimed, now.AddDays(-8)),
            StoredReadings.Reading("SS1ES" + unclaimed, unclaimed, now.AddDays(-6)),
            // Ingested readings have no logger: they belong to a plant already and are not "unclaimed".
            StoredReadings.Reading("SS1ES" + claimed + "I", null, now.AddDays(-8)),
        ], Ct);

        await app.Services.GetRequiredService<UnclaimedReadingsPurge>().PurgeAsync(Ct);

        Assert.Single(await StoredReadings.OfAsync(app, "SS1ES" + claimed, Ct));
        var left = Assert.Single(await StoredReadings.OfAsync(app, "SS1ES" + unclaimed, Ct));
        Assert.True(left.At > now.AddDays(-7));
        Assert.Single(await StoredReadings.OfAsync(app, "SS1ES" + claimed + "I", Ct));
    }

    [Fact]
    public async Task Metrics_AreForLoopbackOnly_UnlessANetworkIsAllowed()
    {
        app.RequireAvailable();
        var scraped = await app.Server.SendAsync(c => Scrape(c, IPAddress.Parse("::ffff:127.0.0.1")), Ct);
        var stranger = await app.Server.SendAsync(c => Scrape(c, IPAddress.Parse("203.0.113.7")), Ct);
        var relayedByALocalProxy = await app.Server.SendAsync(c =>
        {
            Scrape(c, IPAddress.Loopback);
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
        }, Ct);

        Assert.Equal(200, scraped.Response.StatusCode);
        Assert.Equal(404, stranger.Response.StatusCode);
        Assert.Equal(404, relayedByALocalProxy.Response.StatusCode);
    }

    private static void Scrape(Microsoft.AspNetCore.Http.HttpContext context, IPAddress from)
    {
        context.Request.Method = "GET";
        context.Request.Path = "/metrics";
        context.Connection.RemoteIpAddress = from;
    }

    /// <summary>The Prometheus text, scraped as a client at that address would.</summary>
    private async Task<string> ScrapeAsync(IPAddress from)
    {
        var context = await app.Server.SendAsync(c => Scrape(c, from), Ct);
        Assert.Equal(200, context.Response.StatusCode);
        return await new StreamReader(context.Response.Body).ReadToEndAsync(Ct);
    }

    /// <summary>Connects a simulated logger (its inverter at noon in June) to the running server's gateway.</summary>
    private async Task<(Task Running, SimulatedInverter Inverter)> ConnectAsync(uint serial, string inverterSerial, CancellationToken cancellationToken)
    {
        var port = ((IPEndPoint)await app.Services.GetRequiredService<GatewayListener>().BoundEndPoint).Port;
        var (logger, inverter) = TestLoggers.AtNoon(serial, inverterSerial);
        return (TestLoggers.RunAsync(logger, port, cancellationToken), inverter);
    }
}

public sealed class SqliteGatewayStorageTests(SqliteApp app) : GatewayStorageTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresGatewayStorageTests(PostgresApp app) : GatewayStorageTests(app), IClassFixture<PostgresApp>;
