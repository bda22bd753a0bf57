using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Privacy;

/// <summary>Intent helpers for the privacy officer's policy versions and a user's policy standing, through the API.</summary>
public static class PrivacySetup
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string UniqueVersion() => "t-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<string> DraftAsync(this Owner officer, bool material, string summary = "Clearer wording about installers.", string body = "# Helio privacy policy\n\nWe keep your data safe.", string? version = null)
    {
        version ??= UniqueVersion();
        var response = await officer.Client.PostAsJsonAsync("/api/v1/admin/privacy/policies",
            new { version, title = "Helio privacy policy", bodyMarkdown = body, summary, material }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"draft: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return version;
    }

    public static Task<HttpResponseMessage> TryPublishAsync(this Owner officer, string version, DateTimeOffset? effectiveAt = null) =>
        officer.Client.PostAsJsonAsync($"/api/v1/admin/privacy/policies/{version}/publish", new { effectiveAt }, Ct);

    public static async Task<JsonElement> PublishAsync(this Owner officer, string version, DateTimeOffset? effectiveAt = null)
    {
        var response = await officer.TryPublishAsync(version, effectiveAt);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"publish: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.JsonAsync();
    }

    /// <summary>Drafts and publishes a version now; returns its label.</summary>
    public static async Task<string> PublishNewAsync(this Owner officer, bool material, string summary = "Clearer wording about installers.", string body = "# Helio privacy policy\n\nWe keep your data safe.")
    {
        var version = await officer.DraftAsync(material, summary, body);
        await officer.PublishAsync(version);
        return version;
    }

    public static async Task<JsonElement> StandingAsync(this Owner user) =>
        await (await user.Client.GetAsync("/api/v1/me/policy", Ct)).JsonAsync();

    public static async Task AcceptAsync(this Owner user, string version)
    {
        var response = await user.Client.PostAsJsonAsync("/api/v1/me/policy/accept", new { version }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"accept: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public static async Task<JsonElement> ConsentsAsync(this Owner user) =>
        await (await user.Client.GetAsync("/api/v1/me/consents", Ct)).JsonAsync();

    public static async Task<JsonElement> ConsentHistoryAsync(this Owner user) =>
        await (await user.Client.GetAsync("/api/v1/me/consents/history", Ct)).JsonAsync();

    public static JsonElement Purpose(this JsonElement consents, string purpose) =>
        consents.EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == purpose);
}
