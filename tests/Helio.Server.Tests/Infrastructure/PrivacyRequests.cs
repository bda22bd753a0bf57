using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Intent helpers for data-subject requests: make one with the password, read its code from the real mailbox, verify it.</summary>
public static partial class PrivacyRequests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Whether a route pattern is about privacy requests (its requestId is one of those).</summary>
    public static bool IsPrivacyRequestRoute(string pattern) =>
        pattern.Contains("/me/requests", StringComparison.Ordinal) || pattern.Contains("/privacy/requests", StringComparison.Ordinal);

    /// <summary>Makes a request (export unless <paramref name="body"/> says otherwise; the password is added) and returns its id.</summary>
    public static async Task<Guid> RequestAsync(this Owner user, object? body = null)
    {
        var fields = body is null
            ? new Dictionary<string, object?>()
            : body.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(body));
        fields.TryAdd("kind", "export");
        fields.TryAdd("password", user.Password);
        var response = await user.Client.PostAsJsonAsync("/api/v1/me/requests", fields, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"making a request: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>The latest code mailed for the request (waits for it).</summary>
    public static async Task<string> CodeAsync(this HelioApp app, Owner user, Guid requestId, int nth = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var codes = app.Mail.To(user.Email)
                .Where(m => (m.Subject ?? "").Contains("verification code", StringComparison.Ordinal) && m.TextBody!.Contains(requestId.ToString(), StringComparison.Ordinal))
                .Select(m => CodePattern().Match(m.TextBody!).Groups[1].Value).ToList();
            if (codes.Count >= nth)
            {
                return codes[nth - 1];
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No code number {nth} for request {requestId} arrived.");
            }
            await Task.Delay(100, Ct);
        }
    }

    public static Task<HttpResponseMessage> VerifyAsync(this Owner user, Guid requestId, string code) =>
        user.Client.PostAsJsonAsync($"/api/v1/me/requests/{requestId}/verify", new { code }, Ct);

    /// <summary>A request made and verified with the mailed code.</summary>
    public static async Task<Guid> VerifiedRequestAsync(this HelioApp app, Owner user, object? body = null)
    {
        var id = await user.RequestAsync(body);
        var verified = await user.VerifyAsync(id, await app.CodeAsync(user, id));
        Assert.True(verified.StatusCode == HttpStatusCode.OK, $"verifying: {(int)verified.StatusCode} {await verified.Content.ReadAsStringAsync(Ct)}");
        return id;
    }

    [GeneratedRegex(@"^\s+(\d{8})\s*$", RegexOptions.Multiline)]
    private static partial Regex CodePattern();
}
