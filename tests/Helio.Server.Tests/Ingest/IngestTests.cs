using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Ingest;

/// <summary>HTTP ingest end to end: an owner's ingest key, readings posted with it, what is stored and what is refused.</summary>
public abstract class IngestTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string InverterSerial() => "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);

    private static string Now(int secondsAgo = 0) => DateTimeOffset.UtcNow.AddSeconds(-secondsAgo).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(Owner Owner, Guid Plant, Guid KeyId, string Key)> OwnerWithKeyAsync()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Roof");
        var created = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = "Garage collector" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        return (owner, plant, body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    /// <summary>Registers a new inverter to the plant, as ingest takes readings only for the plant's own inverters.</summary>
    private static async Task<string> InverterInAsync(Owner owner, Guid plant)
    {
        var serial = InverterSerial();
        var registered = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = serial, kind = "inverter" }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return serial;
    }

    private Task<HttpResponseMessage> PostAsync(string? key, object body)
    {
        var client = app.Anonymous();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client.PostAsJsonAsync("/api/v1/ingest/readings", body, Ct);
    }

    private static object Reading(string serial, string timestamp, double power = 5230) =>
        new { serialNumber = serial, timestamp, values = new { activePowerW = power, energyTodayKwh = 12.3 }, state = "onGrid", faults = new[] { 40, 12 } };

    private Task<List<Features.Telemetry.RawReadingDto>> StoredAsync(string serial) => StoredReadings.OfAsync(app, serial, Ct);

    [Fact]
    public async Task ReadingsOfThePlantsInverters_AreStored()
    {
        var (owner, plant, _, key) = await OwnerWithKeyAsync();
        var serial = await InverterInAsync(owner, plant);

        var response = await PostAsync(key, new { readings = new[] { Reading(serial.ToLowerInvariant(), Now(60)), Reading(serial, Now(), power: 4100) } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal("accepted", body.GetProperty("results")[1].GetProperty("status").GetString());
        var rows = await StoredAsync(serial);
        Assert.Equal(2, rows.Count);
        Assert.Null(await StoredReadings.LoggerOfAsync(app, serial, Ct));
        Assert.Equal("onGrid", rows[1].State);
        Assert.Equal([12, 40], rows[1].Faults);
        Assert.Equal(4100, rows[1].Values["activePowerW"]);
    }

    [Fact]
    public async Task TheSameReadingTwice_IsStoredOnce()
    {
        var (owner, plant, _, key) = await OwnerWithKeyAsync();
        var serial = await InverterInAsync(owner, plant);
        var at = Now(30);
        var sameInstantOtherSpelling = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

        var first = await (await PostAsync(key, new { readings = new[] { Reading(serial, at), Reading(serial, sameInstantOtherSpelling) } })).JsonAsync();
        var again = await (await PostAsync(key, new { readings = new[] { Reading(serial, at) } })).JsonAsync();

        Assert.Equal(1, first.GetProperty("accepted").GetInt32());
        Assert.Equal("duplicate", first.GetProperty("results")[1].GetProperty("status").GetString());
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Single(await StoredAsync(serial));
    }

    [Fact]
    public async Task BadReadings_AreRefusedOneByOne_WithFieldAndReason_AndTheRestStored()
    {
        var (owner, plant, _, key) = await OwnerWithKeyAsync();
        var serial = await InverterInAsync(owner, plant);
        var unregistered = InverterSerial();
        var loggerSerial = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = loggerSerial, kind = "logger" }, Ct);
        var someoneElses = InverterSerial();
        var stranger = await app.RegisterOwnerAsync();
        var strangersPlant = await stranger.CreatePlantAsync();
        await stranger.Client.PostAsJsonAsync($"/api/v1/plants/{strangersPlant}/devices", new { serialNumber = someoneElses, kind = "inverter" }, Ct);

        var response = await PostAsync(key, new
        {
            readings = new object?[]
            {
                Reading(serial, Now()),
                new { serialNumber = serial, timestamp = "2026-11-30T10:00:00", values = new { activePowerW = 1 } },
                new { serialNumber = serial, timestamp = Now(), values = new { activePowerKw = 1 } },
                new { serialNumber = serial, timestamp = DateTimeOffset.UtcNow.AddHours(1).ToString("O"), values = new { activePowerW = 1 } },
                new { serialNumber = serial, timestamp = Now(5), values = new { } },
                new { serialNumber = serial, timestamp = Now(6), values = new { activePowerW = 1 }, state = "sleeping" },
                new { serialNumber = serial, timestamp = Now(7), values = new { activePowerW = 1 }, faults = new[] { 0 } },
                new { serialNumber = serial, timestamp = "0001-01-01T00:30:00+01:00", values = new { activePowerW = 1 } },
                new { serialNumber = serial, timestamp = "2026-11-30 10:00 GMT", values = new { activePowerW = 1 } },
                Reading(loggerSerial, Now()),
                Reading(someoneElses, Now()),
                Reading(unregistered, Now()),
                Reading("x", Now()),
                null,
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(13, body.GetProperty("refused").GetInt32());
        string[] fields = ["timestamp", "values.activePowerKw", "timestamp", "values", "state", "faults", "timestamp", "timestamp", "serialNumber", "serialNumber", "serialNumber", "serialNumber", ""];
        for (var i = 0; i < fields.Length; i++)
        {
            var result = body.GetProperty("results")[i + 1];
            Assert.Equal(i + 1, result.GetProperty("index").GetInt32());
            Assert.Equal("refused", result.GetProperty("status").GetString());
            Assert.Equal(fields[i], result.GetProperty("field").GetString());
            Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("reason").GetString()));
        }
        Assert.Single(await StoredAsync(serial));
        Assert.Empty(await StoredAsync(someoneElses));
        Assert.Empty(await StoredAsync(unregistered));
        // Not the plant's: the same words whether someone else registered it or nobody did, so nothing leaks.
        var refusals = body.GetProperty("results").EnumerateArray().Where(r => r.TryGetProperty("field", out var f) && f.GetString() == "serialNumber").Select(r => r.GetProperty("reason").GetString()).ToList();
        Assert.Equal(3, refusals.Count(r => r == refusals[0]));
        var strangersDevice = await (await stranger.Client.GetAsync($"/api/v1/devices/{someoneElses}", Ct)).JsonAsync();
        Assert.Equal(strangersPlant, strangersDevice.GetProperty("plantId").GetGuid());
    }

    [Fact]
    public async Task AValueTooLargeForADouble_IsRefused_NotAServerError()
    {
        var (owner, plant, _, key) = await OwnerWithKeyAsync();
        var serial = await InverterInAsync(owner, plant);
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var body = $$$"""{"readings":[{"serialNumber":"{{{serial}}}","timestamp":"{{{Now()}}}","values":{"activePowerW":1e400}}]}""";

        var response = await client.PostAsync("/api/v1/ingest/readings", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.JsonAsync()).GetProperty("results")[0];
        Assert.Equal("refused", result.GetProperty("status").GetString());
        Assert.Equal("values.activePowerW", result.GetProperty("field").GetString());
    }

    [Fact]
    public async Task WithoutAValidKey_401_AndNothingIsRead()
    {
        var serial = InverterSerial();
        foreach (var key in new string?[] { null, "hik_notARealKeyAtAll0000000000000000000000000", "Basic abc" })
        {
            var response = await PostAsync(key, new { readings = new[] { Reading(serial, Now()) } });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        var malformed = app.Anonymous();
        var content = new StringContent("{not json", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await malformed.PostAsync("/api/v1/ingest/readings", content, Ct)).StatusCode);
        Assert.Empty(await StoredAsync(serial));
    }

    [Fact]
    public async Task MalformedEmptyOrOversizedBatches_AreProblems()
    {
        var (_, _, _, key) = await OwnerWithKeyAsync();
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var malformed = await client.PostAsync("/api/v1/ingest/readings", new StringContent("""{"readings":[{"serialNumber":"SS1ES1234567","values":{"activePowerW":"lots"}}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True((await malformed.JsonAsync()).GetProperty("errors").TryGetProperty("readings[0].values.activePowerW", out _));

        var empty = await PostAsync(key, new { readings = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.JsonAsync()).GetProperty("errors").TryGetProperty("readings", out _));

        var serial = InverterSerial();
        var tooMany = await PostAsync(key, new { readings = Enumerable.Range(0, 501).Select(i => Reading(serial, Now(i))).ToArray() });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Empty(await StoredAsync(serial));

        var notJson = await client.PostAsync("/api/v1/ingest/readings", new StringContent("readings", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
    }

    [Fact]
    public async Task Keys_AreShownOnce_Rotated_AndRevoked()
    {
        var (owner, plant, keyId, key) = await OwnerWithKeyAsync();
        Assert.StartsWith("hik_", key, StringComparison.Ordinal);
        var listed = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/ingest-keys", Ct)).JsonAsync();
        Assert.Equal("Garage collector", listed[0].GetProperty("name").GetString());
        Assert.Equal(key[..10], listed[0].GetProperty("prefix").GetString());
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);
        Assert.False(listed[0].TryGetProperty("key", out _));
        var serial = await InverterInAsync(owner, plant);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(key, new { readings = new[] { Reading(serial, Now(3)) } })).StatusCode);
        var used = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/ingest-keys", Ct)).JsonAsync();
        Assert.NotEqual(JsonValueKind.Null, used[0].GetProperty("lastUsedAt").ValueKind);

        var rotated = await owner.Client.PostAsync($"/api/v1/plants/{plant}/ingest-keys/{keyId}/rotate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newKey = (await rotated.JsonAsync()).GetProperty("key").GetString()!;
        Assert.NotEqual(key, newKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(key, new { readings = new[] { Reading(serial, Now(2)) } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(newKey, new { readings = new[] { Reading(serial, Now(2)) } })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/plants/{plant}/ingest-keys/{keyId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(newKey, new { readings = new[] { Reading(serial, Now(1)) } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.PostAsync($"/api/v1/plants/{plant}/ingest-keys/{keyId}/rotate", null, Ct)).StatusCode);
        var revoked = await (await owner.Client.GetAsync($"/api/v1/plants/{plant}/ingest-keys", Ct)).JsonAsync();
        Assert.NotEqual(JsonValueKind.Null, revoked[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal(2, (await StoredAsync(serial)).Count);
    }

    [Fact]
    public async Task AKeyNeedsAName()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var response = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("name", out _));
    }
}

public sealed class SqliteIngestTests(SqliteApp app) : IngestTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresIngestTests(PostgresApp app) : IngestTests(app), IClassFixture<PostgresApp>;

/// <summary>A Helio that allows two ingest requests a minute per key.</summary>
public sealed class TightIngestApp() : HelioApp(Provider.Sqlite)
{
    protected override void ConfigureMore(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.UseSetting("Ingest:RequestsPerMinute", "2");
}

public sealed class IngestRateLimitTests(TightIngestApp app) : IClassFixture<TightIngestApp>
{
    [Fact]
    public async Task AKeyOverItsRate_Gets429_WithRetryAfter_OtherKeysDoNot()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        async Task<string> KeyAsync() => (await (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/ingest-keys", new { name = "k" }, ct)).JsonAsync()).GetProperty("key").GetString()!;
        var busy = await KeyAsync();
        var other = await KeyAsync();
        async Task<HttpResponseMessage> PostAsync(string key, string scheme = "Bearer")
        {
            var client = app.Anonymous();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme}  {key}");
            var reading = new { serialNumber = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999), timestamp = DateTimeOffset.UtcNow.ToString("O"), values = new { activePowerW = 1 } };
            return await client.PostAsJsonAsync("/api/v1/ingest/readings", new { readings = new[] { reading } }, ct);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(busy)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(busy)).StatusCode);
        var refused = await PostAsync(busy);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(busy, scheme: "bearer")).StatusCode); // same key, other spelling
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(other)).StatusCode);
    }
}
