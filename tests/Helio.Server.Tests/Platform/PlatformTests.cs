using System.Net;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Helio.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Platform;

public sealed class PlatformTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_LiveAndReady()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/health/ready", Ct)).StatusCode);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var response = await app.Anonymous().GetAsync("/health/live", Ct);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, "not cached anywhere on the way");
    }

    [Fact]
    public async Task AnswersWithPersonalData_AreNotCached()
    {
        var owner = await app.RegisterOwnerAsync();

        var me = await owner.Client.GetAsync("/api/v1/me", Ct);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(me.Headers.CacheControl?.NoStore, "GET /api/v1/me is not cached");
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheContractRoutes()
    {
        var document = await (await app.Anonymous().GetAsync("/openapi/v1.json", Ct)).JsonAsync();
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/account/register", "/api/v1/auth/token", "/api/v1/me", "/api/v1/plants", "/api/v1/plants/{plantId}", "/api/v1/plants/{plantId}/devices", "/api/v1/devices/{serialNumber}" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"{path} missing from the OpenAPI document");
        }
        var docs = await app.Anonymous().GetAsync("/api/docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("scalar.js", await docs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // The reference page's script is served locally: it works without internet access.
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/api/docs/scalar.js", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://+:5080", true)]
    [InlineData("http://192.0.2.10:80", true)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080", false)]
    [InlineData("https://0.0.0.0:443", false)]
    public void PlainHttpOffLoopback_IsDetected(string urls, bool refused)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

        Assert.Equal(refused, Tls.PlainHttpNonLoopbackUrls(configuration).Any());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public void Migrations_MatchTheModel(Provider provider)
    {
        using DbContext db = provider == Provider.Sqlite
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} model has changes without a migration: run dotnet ef migrations add for both providers.");
    }

    [Fact]
    public void Totp_MatchesRfc6238TestVectors()
    {
        // RFC 6238 appendix B, SHA-1, key "12345678901234567890", 8 digits truncated to our 6.
        var key = "12345678901234567890"u8.ToArray();
        Assert.Equal(287082, Totp.Compute(key, 59 / 30));
        Assert.Equal(81804, Totp.Compute(key, 1111111109 / 30));
        Assert.Equal(50471, Totp.Compute(key, 1111111111 / 30));
        Assert.Equal(5924, Totp.Compute(key, 1234567890 / 30));
        Assert.Equal(279037, Totp.Compute(key, 2000000000 / 30));
    }

    [Fact]
    public void Totp_RefusesUsedOrDistantSteps()
    {
        var key = "12345678901234567890"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1111111111);
        var step = Totp.StepAt(now);
        var code = Totp.Compute(key, step).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(step, Totp.Match(key, code, now, lastUsedStep: 0));
        Assert.Null(Totp.Match(key, code, now, lastUsedStep: step));
        Assert.Null(Totp.Match(key, code, now.AddMinutes(2), lastUsedStep: 0));
    }
}
