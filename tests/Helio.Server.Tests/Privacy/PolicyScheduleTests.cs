using System.Net;
using Helio.Server.Features.Accounts;
using Helio.Server.Tests.Alarms;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>Helio on a clock the test moves forward (timers stay real, so mail keeps flowing).</summary>
public abstract class PolicyClockApp(Provider provider) : HelioApp(provider)
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureMore(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
}

public sealed class SqlitePolicyClockApp() : PolicyClockApp(Provider.Sqlite);

public sealed class PostgresPolicyClockApp() : PolicyClockApp(Provider.Postgres);

/// <summary>A version published to take effect later: until then the version before stays current, and nobody is held.</summary>
public abstract class PolicyScheduleTests(PolicyClockApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AVersionWithAFutureDate_IsCurrentOnlyFromThatDate()
    {
        var officer = await app.RegisterStaffAsync(Roles.PrivacyOfficer);
        var owner = await app.RegisterOwnerAsync();
        var now = app.Clock.GetUtcNow();
        var before = (await owner.StandingAsync()).GetProperty("current").GetString();
        var version = await officer.DraftAsync(material: true, summary: "A new installer programme.");

        var published = await officer.PublishAsync(version, now.AddDays(2));

        Assert.Equal("scheduled", published.GetProperty("version").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/v1/plants", Ct)).StatusCode);
        Assert.Equal(before, (await owner.StandingAsync()).GetProperty("current").GetString());
        var current = await app.Anonymous().GetStringAsync("/privacy", Ct);
        Assert.Contains($"data-version=\"{before}\"", current, StringComparison.Ordinal);
        Assert.Contains($"/privacy/versions/{version}", current, StringComparison.Ordinal); // announced as upcoming
        Assert.Contains("not in force yet", await app.Anonymous().GetStringAsync($"/privacy/versions/{version}", Ct), StringComparison.Ordinal);
        // Notice ahead of the date, with the date in it.
        var mail = await app.Mail.WaitForAsync(owner.Email, "privacy policy changes");
        Assert.Contains(now.AddDays(2).UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), mail.TextBody, StringComparison.Ordinal);
        // A later version must take effect after this one.
        var next = await officer.DraftAsync(material: false);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.TryPublishAsync(next, now.AddDays(1))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.TryPublishAsync(next)).StatusCode);

        app.Clock.MoveTo(now.AddDays(2).AddMinutes(1));
        // Access tokens live 15 minutes: the owner signs in again, on the same account.
        var later = app.WithToken((await app.TokenAsync(owner.Email, owner.Password)).AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await later.GetAsync("/api/v1/plants", Ct)).StatusCode);
        Assert.Contains($"data-version=\"{version}\"", await app.Anonymous().GetStringAsync("/privacy", Ct), StringComparison.Ordinal);
        await (owner with { Client = later }).AcceptAsync(version);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("/api/v1/plants", Ct)).StatusCode);
    }
}

public sealed class SqlitePolicyScheduleTests(SqlitePolicyClockApp app) : PolicyScheduleTests(app), IClassFixture<SqlitePolicyClockApp>;

public sealed class PostgresPolicyScheduleTests(PostgresPolicyClockApp app) : PolicyScheduleTests(app), IClassFixture<PostgresPolicyClockApp>;
