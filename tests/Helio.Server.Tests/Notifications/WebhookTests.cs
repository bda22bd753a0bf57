using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Features.Notifications;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Notifications;

/// <summary>Webhooks end to end: created through the API, delivered by the worker to a real HTTP receiver, signed, retried, dead, replayed.</summary>
public abstract class WebhookTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Owner Owner, Guid Id, string Secret)> WebhookAsync(string url, string name = "Home Assistant")
    {
        var owner = await app.RegisterOwnerAsync();
        var response = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name, url }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (owner, body.GetProperty("webhook").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private static async Task<Guid> SendTestAsync(Owner owner, Guid webhook)
    {
        var response = await owner.Client.PostAsync($"/api/v1/webhooks/{webhook}/test", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> DeliveryAsync(Owner owner, Guid webhook, Guid delivery, string? state = null)
    {
        var log = await (await owner.Client.GetAsync($"/api/v1/webhooks/{webhook}/deliveries{(state is null ? "" : "?state=" + state)}", Ct)).JsonAsync();
        return log.EnumerateArray().FirstOrDefault(d => d.GetProperty("id").GetGuid() == delivery);
    }

    private static async Task WaitForStateAsync(Owner owner, Guid webhook, Guid delivery, string state) =>
        await Eventually.True(async () => (await DeliveryAsync(owner, webhook, delivery)) is { ValueKind: JsonValueKind.Object } d && d.GetProperty("state").GetString() == state,
            $"delivery {delivery} never became {state}");

    [Fact]
    public async Task TestDelivery_Arrives_SignedWithTheSecret()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (owner, webhook, secret) = await WebhookAsync(receiver.Url);

        var delivery = await SendTestAsync(owner, webhook);

        var request = await receiver.WaitForAsync(r => r.Header("Helio-Delivery") == delivery.ToString());
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Helio-Webhooks", request.Header("User-Agent"));
        Assert.Equal("test", JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString());
        Assert.StartsWith("v1=", request.Header("Helio-Signature"), StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(secret, request.Header("Helio-Timestamp"), request.Body, request.Header("Helio-Signature"), DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(secret + "x", request.Header("Helio-Timestamp"), request.Body, request.Header("Helio-Signature"), DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(secret, request.Header("Helio-Timestamp"), request.Body + " ", request.Header("Helio-Signature"), DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(secret, request.Header("Helio-Timestamp"), request.Body, request.Header("Helio-Signature"), DateTimeOffset.UtcNow.AddMinutes(6)));
        await WaitForStateAsync(owner, webhook, delivery, "delivered");
        Assert.Equal(200, (await DeliveryAsync(owner, webhook, delivery)).GetProperty("lastStatus").GetInt32());
    }

    [Fact]
    public async Task FailingReceiver_IsRetried_UntilDelivered()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (owner, webhook, _) = await WebhookAsync(receiver.Url);
        receiver.FailNext(2);

        var delivery = await SendTestAsync(owner, webhook);

        await WaitForStateAsync(owner, webhook, delivery, "delivered");
        var attempts = receiver.Requests.Where(r => r.Header("Helio-Delivery") == delivery.ToString()).ToList();
        Assert.Equal([500, 500, 200], attempts.Select(r => r.AnsweredWith));
        Assert.Equal(3, (await DeliveryAsync(owner, webhook, delivery)).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ExhaustedDelivery_IsDead_InTheLog_AndAReplayDeliversIt()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (owner, webhook, _) = await WebhookAsync(receiver.Url);
        receiver.FailNext(100, 503);

        var delivery = await SendTestAsync(owner, webhook);

        await WaitForStateAsync(owner, webhook, delivery, "dead");
        var dead = await DeliveryAsync(owner, webhook, delivery, "dead");
        Assert.Equal(503, dead.GetProperty("lastStatus").GetInt32());
        Assert.Equal("HTTP 503", dead.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Undefined, (await DeliveryAsync(owner, webhook, delivery, "pending")).ValueKind);

        receiver.FailNext(0);
        var replay = await owner.Client.PostAsync($"/api/v1/deliveries/{delivery}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await WaitForStateAsync(owner, webhook, delivery, "delivered");
        Assert.Equal(200, receiver.Requests.Last(r => r.Header("Helio-Delivery") == delivery.ToString()).AnsweredWith);
    }

    [Fact]
    public async Task Secret_IsShownOnce_AndRotationShowsANewOneThatSigns()
    {
        app.RequireAvailable();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (owner, webhook, secret) = await WebhookAsync(receiver.Url);
        Assert.Equal(32, Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length);

        var read = await (await owner.Client.GetAsync($"/api/v1/webhooks/{webhook}", Ct)).JsonAsync();
        var list = await (await owner.Client.GetAsync("/api/v1/webhooks", Ct)).JsonAsync();
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Equal(receiver.Url, read.GetProperty("url").GetString());
        Assert.DoesNotContain(secret, list.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, read.GetRawText(), StringComparison.Ordinal);

        var rotated = await (await owner.Client.PostAsync($"/api/v1/webhooks/{webhook}/rotate-secret", null, Ct)).JsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        var delivery = await SendTestAsync(owner, webhook);
        var request = await receiver.WaitForAsync(r => r.Header("Helio-Delivery") == delivery.ToString());
        Assert.True(WebhookSignature.Verify(newSecret, request.Header("Helio-Timestamp"), request.Body, request.Header("Helio-Signature"), DateTimeOffset.UtcNow));
        Assert.False(WebhookSignature.Verify(secret, request.Header("Helio-Timestamp"), request.Body, request.Header("Helio-Signature"), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task SomeoneElsesWebhook_And_Delivery_Answer404()
    {
        app.RequireAvailable();
        var (owner, webhook, _) = await WebhookAsync("http://127.0.0.1:9/hook");
        var delivery = await SendTestAsync(owner, webhook);
        var stranger = await app.RegisterOwnerAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/webhooks/{webhook}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PutAsJsonAsync($"/api/v1/webhooks/{webhook}", new { name = "Mine", url = "http://127.0.0.1:1/x" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsync($"/api/v1/webhooks/{webhook}/test", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/webhooks/{webhook}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsync($"/api/v1/deliveries/{delivery}/replay", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/webhooks/{webhook}", Ct)).StatusCode);
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/webhooks", Ct)).JsonAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/v1/webhooks/{webhook}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/webhooks/{webhook}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync($"/api/v1/webhooks/{webhook}", Ct)).StatusCode);
    }

    [Fact]
    public async Task InvalidWebhook_Answers400_NamingTheField()
    {
        app.RequireAvailable();
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var foreignPlant = await stranger.CreatePlantAsync();

        var noUrl = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "X" }, Ct);
        var ftp = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "X", url = "ftp://example.com/hook" }, Ct);
        var tooLong = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "X", url = "https://example.com/" + new string('a', 2000) }, Ct);
        var plant = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "X", url = "https://example.com/hook", plantId = foreignPlant }, Ct);

        foreach (var (response, field) in new[] { (noUrl, "url"), (ftp, "url"), (tooLong, "url"), (plant, "plantId") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        }
    }
}

public sealed class SqliteWebhookTests(SqliteApp app) : WebhookTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresWebhookTests(PostgresApp app) : WebhookTests(app), IClassFixture<PostgresApp>;
