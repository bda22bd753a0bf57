using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Protocols.Modbus;
using Helio.Server.Features.Access;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Gateway;
using Helio.Server.Features.Sharing;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.RemoteControl;

/// <summary>
/// Remote operations end to end: a simulated logger connected to the app's gateway over real TCP, people asking
/// through the API, the inverter's registers, and the audit trail.
/// </summary>
public abstract class RemoteOperationTests(RemoteControlApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Owner_SetsTheExportLimit_TheInverterChanges_AndTheDeviceConfirmsIt()
    {
        var owner = await app.RegisterOwnerAsync();
        await using var site = await Site.ConnectAsync(app, owner);

        var response = await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimit", value = 3000 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonAsync();
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/operations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", accepted.GetProperty("state").GetString());
        var done = await SettledAsync(owner, id);
        Assert.Equal("confirmed", done.GetProperty("state").GetString());
        Assert.Equal((1, 30), (site.Inverter.Bank[0x1023], site.Inverter.Bank[0x1024]));
        Assert.Equal(3000, done.GetProperty("readBack").GetDouble());
        Assert.Equal("W", done.GetProperty("unit").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.Equal(owner.Email, done.GetProperty("requestedBy").GetProperty("email").GetString());
        Assert.True(done.GetProperty("requestedBy").GetProperty("isYou").GetBoolean());
        Assert.True(done.GetProperty("completedAt").GetDateTimeOffset() >= done.GetProperty("sentAt").GetDateTimeOffset());

        // A single setting next: the list is newest first, and the settings show what the device read back.
        var second = await (await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimitW", value = 5000 })).JsonAsync();
        Assert.Equal("confirmed", (await SettledAsync(owner, second.GetProperty("id").GetGuid())).GetProperty("state").GetString());
        Assert.Equal(50, site.Inverter.Bank[0x1024]);
        var list = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{site.InverterSerial}/operations", Ct);
        Assert.Equal([second.GetProperty("id").GetGuid(), id], list.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        var settings = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{site.InverterSerial}/settings", Ct);
        Assert.True(settings.GetProperty("canOperate").GetBoolean());
        var byName = settings.GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(5000, byName["exportLimitW"].GetProperty("currentValue").GetDouble());
        Assert.Equal(1, byName["exportLimitEnabled"].GetProperty("currentValue").GetDouble());
        Assert.Equal(JsonValueKind.Null, byName["batteryDepthOfDischargePercent"].GetProperty("currentValue").ValueKind);
        Assert.Equal((100, "W", false), (byName["exportLimitW"].GetProperty("step").GetDouble(), byName["exportLimitW"].GetProperty("unit").GetString(), byName["exportLimitW"].GetProperty("dangerous").GetBoolean()));
        var named = settings.GetProperty("operations").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.True(named["exportLimit"].GetProperty("supported").GetBoolean());
        Assert.False(named["timeSync"].GetProperty("supported").GetBoolean());
        Assert.False(named["switchOff"].GetProperty("supported").GetBoolean());

        // Every step is in the audit trail, about this plant and device, with the setting and the value.
        var trail = await AuditAsync(id);
        Assert.Equal([AuditActions.OperationRequested, AuditActions.OperationSent, AuditActions.OperationConfirmed], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal((site.PlantId, site.InverterSerial), (e.PlantId!.Value, e.Target)));
        Assert.All(trail, e => Assert.Contains("\"setting\":\"exportLimit\",\"value\":3000", e.Detail, StringComparison.Ordinal));
        Assert.Equal(AuditActorKind.User, trail[0].ActorKind);
        Assert.Equal(AuditActorKind.System, trail[2].ActorKind);
        Assert.DoesNotContain(owner.Email, string.Concat(trail.Select(e => e.Detail)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ValuesOutsideTheMapsRange_AndUnknownSettings_Answer400NamingTheField_AndNothingIsQueued()
    {
        var owner = await app.RegisterOwnerAsync();
        var (plant, inverter) = await InverterWithoutLoggerAsync(owner);
        var logger = "27" + Random.Shared.Next(10_000_000, 99_999_999);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = logger, kind = "logger" }, Ct)).StatusCode);

        await AssertInvalidAsync(owner, inverter, new { setting = "exportLimitW", value = 7_000_000 }, "value", "between 0 and 6553500 W");
        await AssertInvalidAsync(owner, inverter, new { setting = "exportLimitW", value = 5050 }, "value", "multiple of 100 W");
        await AssertInvalidAsync(owner, inverter, new { setting = "exportLimitW" }, "value", "Required");
        await AssertInvalidAsync(owner, inverter, new { setting = "batteryDepthOfDischargePercent", value = 95 }, "value", "between 10 and 90 %");
        await AssertInvalidAsync(owner, inverter, new { setting = "gridFrequencyHz", value = 50 }, "setting", "exportLimitW");
        await AssertInvalidAsync(owner, inverter, new { value = 1 }, "setting", "Required");
        await AssertInvalidAsync(owner, inverter, new { setting = "timeSync" }, "setting", "sofar-g3 register map documents no register for timeSync");
        await AssertInvalidAsync(owner, inverter, new { setting = "switchOff" }, "setting", "documents no register");
        await AssertInvalidAsync(owner, logger, new { setting = "exportLimitW", value = 1000 }, "setting", "no writable settings");

        var list = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/operations", Ct);
        Assert.Equal(0, list.GetProperty("operations").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Client.GetAsync($"/api/v1/devices/{inverter}/operations?limit=0", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnInverterThatRefusesTheWrite_FailsTheOperation_WithTheExceptionAndItsMeaning()
    {
        var owner = await app.RegisterOwnerAsync();
        await using var site = await Site.ConnectAsync(app, owner);
        site.Inverter.RefuseWrites = ModbusException.SlaveDeviceBusy;

        var id = (await (await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimitW", value = 4000 })).JsonAsync()).GetProperty("id").GetGuid();

        var done = await SettledAsync(owner, id);
        Assert.Equal("failed", done.GetProperty("state").GetString());
        var error = done.GetProperty("error").GetString()!;
        Assert.Contains("Modbus exception 6", error, StringComparison.Ordinal);
        Assert.Contains("busy", error, StringComparison.Ordinal);
        Assert.Equal(0, site.Inverter.Bank[0x1024]);
        var failed = (await AuditAsync(id)).Last();
        Assert.Equal(AuditActions.OperationFailed, failed.Action);
        Assert.Contains("\"exception\":6", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOperationForALoggerThatIsOffline_FailsAsLoggerOffline_AndNothingIsSent()
    {
        var owner = await app.RegisterOwnerAsync();
        var site = await Site.ConnectAsync(app, owner);
        await site.DisposeAsync();
        var connected = app.Services.GetRequiredService<ConnectedLoggers>();
        await Eventually.True(() => !connected.IsConnected(uint.Parse(site.LoggerSerial, System.Globalization.CultureInfo.InvariantCulture)), "the gateway noticed the logger leave");

        var id = (await (await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimitW", value = 1000 })).JsonAsync()).GetProperty("id").GetGuid();

        var done = await SettledAsync(owner, id, RemoteControlApp.OfflineAfter * 4);
        Assert.Equal("failed", done.GetProperty("state").GetString());
        Assert.StartsWith("Logger offline", done.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("sentAt").ValueKind);
        Assert.Equal(0, site.Inverter.Bank[0x1024]);
        Assert.Equal([AuditActions.OperationRequested, AuditActions.OperationFailed], (await AuditAsync(id)).Select(e => e.Action));
    }

    [Fact]
    public async Task ADangerousOperation_WaitsForASecondPerson_AndTheRequesterCanNeitherApproveNorReject()
    {
        var owner = await app.RegisterOwnerAsync();
        var engineer = await app.RegisterOwnerAsync(name: "Erik Engineer");
        await using var site = await Site.ConnectAsync(app, owner);
        await app.GrantAsync(site.PlantId, await engineer.UserIdAsync(), AccessScope.Operate, await owner.UserIdAsync());

        var asked = await (await RequestAsync(owner, site.InverterSerial, new { setting = "batteryDepthOfDischargePercent", value = 40 })).JsonAsync();
        var id = asked.GetProperty("id").GetGuid();
        Assert.Equal("awaiting-approval", asked.GetProperty("state").GetString());
        Assert.True(asked.GetProperty("dangerous").GetBoolean());
        Assert.False(asked.GetProperty("canDecide").GetBoolean());

        // Nothing is sent while it waits, and its requester cannot decide on it.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(20, site.Inverter.Bank[0x104D]);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PostAsync($"/api/v1/operations/{id}/approve", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PostAsync($"/api/v1/operations/{id}/reject", null, Ct)).StatusCode);
        Assert.Equal("awaiting-approval", (await OperationAsync(owner, id)).GetProperty("state").GetString());

        // The engineer with an operate grant sees it with the owner's address masked, and approves it.
        var seen = await OperationAsync(engineer, id);
        Assert.True(seen.GetProperty("canDecide").GetBoolean());
        AssertMasked(owner.Email, seen.GetProperty("requestedBy"));
        Assert.Equal(HttpStatusCode.OK, (await engineer.Client.PostAsync($"/api/v1/operations/{id}/approve", null, Ct)).StatusCode);
        var done = await SettledAsync(owner, id);
        Assert.Equal("confirmed", done.GetProperty("state").GetString());
        Assert.Equal(40, site.Inverter.Bank[0x104D]);
        AssertMasked(engineer.Email, done.GetProperty("decidedBy"));
        Assert.Equal(HttpStatusCode.Conflict, (await engineer.Client.PostAsync($"/api/v1/operations/{id}/approve", null, Ct)).StatusCode);
        Assert.Equal([AuditActions.OperationRequested, AuditActions.OperationApproved, AuditActions.OperationSent, AuditActions.OperationConfirmed],
            (await AuditAsync(id)).Select(e => e.Action));

        // The other way round: the engineer asks, cannot decide, and the owner rejects; nothing is sent.
        var theirs = (await (await RequestAsync(engineer, site.InverterSerial, new { setting = "batteryEndOfDischargePercent", value = 15 })).JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.Client.PostAsync($"/api/v1/operations/{theirs}/approve", null, Ct)).StatusCode);
        var rejected = await (await owner.Client.PostAsync($"/api/v1/operations/{theirs}/reject", null, Ct)).JsonAsync();
        Assert.Equal("rejected", rejected.GetProperty("state").GetString());
        Assert.True(rejected.GetProperty("decidedBy").GetProperty("isYou").GetBoolean());
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(10, site.Inverter.Bank[0x104E]);
        Assert.Equal([AuditActions.OperationRequested, AuditActions.OperationRejected], (await AuditAsync(theirs)).Select(e => e.Action));
    }

    [Fact]
    public async Task ViewersViewGrantsAndManagers_MayListButNotOperate_AndGet404LikeAMissingDevice()
    {
        var owner = await app.RegisterOwnerAsync();
        var ownerId = await owner.UserIdAsync();
        var (plant, inverter) = await InverterWithoutLoggerAsync(owner);
        var id = (await (await RequestAsync(owner, inverter, new { setting = "exportLimitW", value = 1000 })).JsonAsync()).GetProperty("id").GetGuid();
        var viewer = await app.RegisterOwnerAsync();
        await app.ShareAsync(plant, await viewer.UserIdAsync(), ShareScope.View, ownerId);
        var manager = await app.RegisterOwnerAsync();
        await app.ShareAsync(plant, await manager.UserIdAsync(), ShareScope.Manage, ownerId);
        var viewGrant = await app.RegisterOwnerAsync();
        await app.GrantAsync(plant, await viewGrant.UserIdAsync(), AccessScope.View, ownerId);
        var operateGrant = await app.RegisterOwnerAsync();
        await app.GrantAsync(plant, await operateGrant.UserIdAsync(), AccessScope.Operate, ownerId);
        var stranger = await app.RegisterOwnerAsync();
        var missing = await RequestAsync(viewer, "SR1ES000000001", new { setting = "exportLimitW", value = 1000 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var missingTitle = (await missing.JsonAsync()).GetProperty("title").GetString();

        foreach (var person in new[] { viewer, manager, viewGrant })
        {
            var refused = await RequestAsync(person, inverter, new { setting = "exportLimitW", value = 2000 });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal(missingTitle, (await refused.JsonAsync()).GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await person.Client.PostAsync($"/api/v1/operations/{id}/approve", null, Ct)).StatusCode);
            var listed = Assert.Single((await person.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/operations", Ct)).GetProperty("operations").EnumerateArray());
            Assert.Equal(id, listed.GetProperty("id").GetGuid());
            AssertMasked(owner.Email, listed.GetProperty("requestedBy"));
            Assert.False(listed.GetProperty("canDecide").GetBoolean());
            Assert.Equal(id, (await OperationAsync(person, id)).GetProperty("id").GetGuid());
            Assert.False((await person.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/settings", Ct)).GetProperty("canOperate").GetBoolean());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/devices/{inverter}/operations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/devices/{inverter}/settings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/operations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(operateGrant, inverter, new { setting = "exportLimitW", value = 2000 })).StatusCode);
        Assert.Equal(2, (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/operations", Ct)).GetProperty("operations").GetArrayLength());
    }

    [Fact]
    public async Task ADevice_TakesAtMost20OperationsAnHour_ThenAnswers429WithRetryAfter()
    {
        var owner = await app.RegisterOwnerAsync();
        var (_, inverter) = await InverterWithoutLoggerAsync(owner);
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(owner, inverter, new { setting = "exportLimitW", value = i * 100 })).StatusCode);
        }

        var refused = await RequestAsync(owner, inverter, new { setting = "exportLimitW", value = 2100 });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 3000, 3600);
        var page = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/operations?limit=15", Ct);
        Assert.Equal(15, page.GetProperty("operations").GetArrayLength());
        var rest = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inverter}/operations?limit=15&cursor={page.GetProperty("next").GetString()}", Ct);
        Assert.Equal(5, rest.GetProperty("operations").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task OperationsOfOneDevice_GoOneAtATime_InOrder_AndEachIsSentOnce()
    {
        var owner = await app.RegisterOwnerAsync();
        await using var site = await Site.ConnectAsync(app, owner);
        var ids = new List<Guid>();
        foreach (var watts in new[] { 1000, 2000, 3000 })
        {
            ids.Add((await (await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimitW", value = watts })).JsonAsync()).GetProperty("id").GetGuid());
        }

        foreach (var id in ids)
        {
            Assert.Equal("confirmed", (await SettledAsync(owner, id)).GetProperty("state").GetString());
        }

        Assert.Equal(30, site.Inverter.Bank[0x1024]);
        var trails = new List<List<AuditEntry>>();
        foreach (var id in ids)
        {
            trails.Add(await AuditAsync(id));
        }
        Assert.All(trails, t => Assert.Single(t, e => e.Action == AuditActions.OperationSent));
        for (var i = 1; i < trails.Count; i++)
        {
            // The next is sent only once the one before has its answer.
            Assert.True(trails[i].Single(e => e.Action == AuditActions.OperationSent).Seq > trails[i - 1].Single(e => e.Action == AuditActions.OperationConfirmed).Seq);
        }
    }

    [Fact]
    public async Task AnOperationAskedOfOneNode_IsDeliveredByTheNodeHoldingTheLoggersConnection()
    {
        var owner = await app.RegisterOwnerAsync();
        await using var other = new SecondNode(app);
        await using var site = await Site.RegisterAsync(app, owner);
        await site.ConnectAsync(app, await other.GatewayPortAsync());
        var local = app.Services.GetRequiredService<ConnectedLoggers>();
        Assert.False(local.IsConnected(uint.Parse(site.LoggerSerial, System.Globalization.CultureInfo.InvariantCulture)));

        // Asked of this node, whose gateway does not hold the logger: the other node finds it in the database and sends it.
        var id = (await (await RequestAsync(owner, site.InverterSerial, new { setting = "exportLimitW", value = 7000 })).JsonAsync()).GetProperty("id").GetGuid();

        Assert.Equal("confirmed", (await SettledAsync(owner, id)).GetProperty("state").GetString());
        Assert.Equal(70, site.Inverter.Bank[0x1024]);
        Assert.Single(await AuditAsync(id), e => e.Action == AuditActions.OperationSent);
    }

    private static void AssertMasked(string email, JsonElement person)
    {
        var shown = person.GetProperty("email").GetString()!;
        Assert.False(person.GetProperty("isYou").GetBoolean());
        Assert.Equal($"{email[0]}***@e***.com", shown);
    }

    private static Task<HttpResponseMessage> RequestAsync(Owner who, string serial, object body) =>
        who.Client.PostAsJsonAsync($"/api/v1/devices/{serial}/operations", body, Ct);

    private static Task<JsonElement> OperationAsync(Owner who, Guid id) => who.Client.GetFromJsonAsync<JsonElement>($"/api/v1/operations/{id}", Ct);

    /// <summary>Waits until the operation has its outcome (confirmed, failed or rejected).</summary>
    private static async Task<JsonElement> SettledAsync(Owner who, Guid id, TimeSpan? within = null)
    {
        JsonElement operation = default;
        await Eventually.True(async () =>
        {
            operation = await OperationAsync(who, id);
            return operation.GetProperty("state").GetString() is "confirmed" or "failed" or "rejected";
        }, $"operation {id} settled", within ?? TimeSpan.FromSeconds(30));
        return operation;
    }

    private static async Task AssertInvalidAsync(Owner owner, string serial, object body, string field, string message)
    {
        var response = await RequestAsync(owner, serial, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>A plant with an inverter registered by hand: no logger speaks for it.</summary>
    private static async Task<(Guid Plant, string Inverter)> InverterWithoutLoggerAsync(Owner owner)
    {
        var plant = await owner.CreatePlantAsync("Hand-registered");
        var inverter = "SR1ES" + Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter" }, Ct)).StatusCode);
        return (plant, inverter);
    }

    private async Task<List<AuditEntry>> AuditAsync(Guid operationId)
    {
        await using var scope = app.Scope();
        var needle = $"\"operation\":\"{operationId}\"";
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Detail != null && e.Detail.Contains(needle)).OrderBy(e => e.Seq).ToListAsync(Ct);
    }
}

public sealed class SqliteRemoteOperationTests(SqliteRemoteControlApp app) : RemoteOperationTests(app), IClassFixture<SqliteRemoteControlApp>;

public sealed class PostgresRemoteOperationTests(PostgresRemoteControlApp app) : RemoteOperationTests(app), IClassFixture<PostgresRemoteControlApp>;
