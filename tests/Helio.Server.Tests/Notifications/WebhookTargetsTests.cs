using System.Net;
using System.Net.Http.Json;
using Helio.Server.Features.Notifications;
using Helio.Server.Platform.Http;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Helio.Server.Tests.Notifications;

/// <summary>Where webhooks may point: the address rules themselves, and the API's answer when private targets are not allowed.</summary>
public sealed class WebhookTargetsTests(PublicTargetsApp app) : IClassFixture<PublicTargetsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:c0a8:0101::1")]
    public void PrivateAddresses_AreNotPublic(string address) => Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddresses_ArePublic(string address) => Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://metadata.localhost/hook")]
    [InlineData("https://192.168.0.2:8443/hook")]
    [InlineData("http://93.184.216.34/hook")]
    [InlineData("hook")]
    public async Task Check_RefusesPrivateAndPlainTargets(string url)
    {
        var validation = new Validation();
        await WebhookTargets.CheckAsync(validation, "url", url, allowPrivate: false, Ct);
        Assert.True(validation.Errors.ContainsKey("url"), url);
    }

    [Fact]
    public async Task Check_AllowsPublicHttps_AndPrivateWhenAllowed()
    {
        var publicTarget = new Validation();
        await WebhookTargets.CheckAsync(publicTarget, "url", "https://93.184.216.34/hook", allowPrivate: false, Ct);
        var allowed = new Validation();
        await WebhookTargets.CheckAsync(allowed, "url", "http://127.0.0.1:8080/hook", allowPrivate: true, Ct);
        Assert.True(publicTarget.IsValid);
        Assert.True(allowed.IsValid);
    }

    [Fact]
    public async Task PrivateTarget_IsRefused_WithProblemDetailsNamingUrl()
    {
        var owner = await app.RegisterOwnerAsync();

        var response = await owner.Client.PostAsJsonAsync("/api/v1/webhooks", new { name = "Router", url = "https://192.168.1.1/hook" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = (await response.JsonAsync()).GetProperty("errors").GetProperty("url");
        Assert.Contains("private", messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushEndpoint_OnAPrivateAddress_IsRefused()
    {
        var owner = await app.RegisterOwnerAsync();

        var response = await owner.Client.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint = "https://10.0.0.1/push", keys = new { p256dh = "x", auth = "y" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("endpoint", out _));
    }
}

/// <summary>The test app as production runs it: webhooks and push only to public https targets.</summary>
public sealed class PublicTargetsApp() : HelioApp(Provider.Sqlite)
{
    protected override void ConfigureMore(IWebHostBuilder builder) => builder.UseSetting("Notifications:AllowPrivateTargets", "false");
}
