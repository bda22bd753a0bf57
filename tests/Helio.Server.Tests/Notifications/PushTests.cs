using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Helio.Server.Features.Notifications;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Notifications;

/// <summary>Web Push: the VAPID key, subscriptions through the API, and sends to a local stand-in for a push service.</summary>
public abstract class PushTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What a browser would send: a real P-256 public key and a 16-byte auth secret.</summary>
    private static object Subscription(string endpoint)
    {
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = browser.ExportParameters(false).Q;
        return new { endpoint, keys = new { p256dh = Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]), auth = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)) } };
    }

    private async Task<int> SubscriptionRowsAsync(Guid userSubscription)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PushSubscriptions.CountAsync(s => s.Id == userSubscription, Ct);
    }

    /// <summary>Queues a push delivery as the notifier does.</summary>
    private async Task<Guid> QueueAsync(Guid userId, Guid subscription)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var now = DateTimeOffset.UtcNow;
        var delivery = new Delivery
        {
            Id = Guid.NewGuid(), Channel = NotificationChannel.Push, TargetId = subscription, UserId = userId, EventId = null,
            Payload = """{"title":"Inverter fault","body":"Roof: grid overvoltage","url":"/plants","tag":"alarm-1"}""",
            State = DeliveryState.Pending, CreatedAt = now, NextAttemptAt = now,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(Ct);
        app.Services.GetRequiredService<DeliverySignal>().Pulse();
        return delivery.Id;
    }

    private async Task<Delivery> DeliveryAsync(Guid id)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<HelioDbContext>().Deliveries.AsNoTracking().SingleAsync(d => d.Id == id, Ct);
    }

    private async Task<Guid> UserIdOfAsync(Guid subscription)
    {
        await using var scope = app.Scope();
        return (await scope.ServiceProvider.GetRequiredService<HelioDbContext>().PushSubscriptions.SingleAsync(s => s.Id == subscription, Ct)).UserId;
    }

    [Fact]
    public async Task VapidPublicKey_IsGeneratedOnce_AndStable()
    {
        var owner = await app.RegisterOwnerAsync();

        var first = (await (await owner.Client.GetAsync("/api/v1/push/vapid-public-key", Ct)).JsonAsync()).GetProperty("publicKey").GetString()!;
        var second = (await (await owner.Client.GetAsync("/api/v1/push/vapid-public-key", Ct)).JsonAsync()).GetProperty("publicKey").GetString()!;

        Assert.Equal(first, second);
        var point = Base64Url.DecodeFromChars(first);
        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "keys", "vapid.json")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/v1/push/vapid-public-key", Ct)).StatusCode);
    }

    [Fact]
    public async Task Subscription_RoundTrip_SameEndpointUpdates_DeleteRemoves()
    {
        var owner = await app.RegisterOwnerAsync();
        var endpoint = $"https://push.example.com/send/{Guid.NewGuid():N}";

        var first = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", Subscription(endpoint), Ct);
        var again = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", Subscription(endpoint), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var id = (await first.JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await again.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(1, await SubscriptionRowsAsync(id));

        var stranger = await app.RegisterOwnerAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/push/subscriptions") { Content = JsonContent.Create(new { endpoint }) }, Ct)).StatusCode);
        var delete = await owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/push/subscriptions") { Content = JsonContent.Create(new { endpoint }) }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, await SubscriptionRowsAsync(id));
    }

    [Fact]
    public async Task InvalidSubscription_Answers400_NamingTheField()
    {
        var owner = await app.RegisterOwnerAsync();

        var badKey = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint = "https://push.example.com/x", keys = new { p256dh = "abc", auth = "abc" } }, Ct);
        var noEndpoint = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", new { keys = new { p256dh = "abc", auth = "abc" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        var errors = (await badKey.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("keys.p256dh", out _));
        Assert.True(errors.TryGetProperty("keys.auth", out _));
        Assert.True((await noEndpoint.JsonAsync()).GetProperty("errors").TryGetProperty("endpoint", out _));
    }

    [Fact]
    public async Task Push_IsEncryptedAndVapidSigned_And410DeletesTheSubscription()
    {
        var owner = await app.RegisterOwnerAsync();
        await using var pushService = await WebhookReceiver.StartAsync();
        pushService.SuccessStatus = 201;
        var subscribed = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", Subscription(pushService.BaseUrl + "/push/" + Guid.NewGuid().ToString("N")), Ct);
        var subscription = (await subscribed.JsonAsync()).GetProperty("id").GetGuid();
        var userId = await UserIdOfAsync(subscription);
        var vapidKey = (await (await owner.Client.GetAsync("/api/v1/push/vapid-public-key", Ct)).JsonAsync()).GetProperty("publicKey").GetString()!;

        var sent = await QueueAsync(userId, subscription);

        var request = await pushService.WaitForAsync(r => r.Path.StartsWith("/push/", StringComparison.Ordinal));
        Assert.StartsWith("vapid t=", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains($"k={vapidKey}", request.Header("Authorization"), StringComparison.Ordinal);
        Assert.Equal("aes128gcm", request.Header("Content-Encoding"));
        Assert.NotNull(request.Header("TTL"));
        Assert.DoesNotContain("Inverter fault", request.Body, StringComparison.Ordinal);
        await Eventually.True(async () => (await DeliveryAsync(sent)).State == DeliveryState.Delivered, "push not marked delivered");

        pushService.FailNext(1, 410);
        var gone = await QueueAsync(userId, subscription);

        await Eventually.True(async () => (await DeliveryAsync(gone)).State == DeliveryState.Dead, "push to an expired subscription not dead");
        Assert.Equal(410, (await DeliveryAsync(gone)).LastStatus);
        Assert.Equal(0, await SubscriptionRowsAsync(subscription));
    }
}

public sealed class SqlitePushTests(SqliteApp app) : PushTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPushTests(PostgresApp app) : PushTests(app), IClassFixture<PostgresApp>;
