using System.Net;
using System.Text.RegularExpressions;
using Helio.Server.Features.Alarms;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Alarms;

/// <summary>
/// The alarm pages as a browser gets them: GETs with the session cookie of a sign-in through the sign-in form. Alarms
/// are raised through <see cref="AlarmBook"/>, the lifecycle's one entry point, as the detectors raise them.
/// </summary>
public abstract partial class AlarmPagesTests(HelioApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ForeignAlarmPage_Answers404_SameAsMissing()
    {
        var owner = await app.RegisterOwnerAsync();
        var stranger = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Owner's roof");
        var alarm = await RaiseAsync(plant, "ID05", AlarmSeverity.Major, "Leakage current fault");

        var ownerBrowser = await SignedInAsync(owner);
        var own = await ownerBrowser.GetAsync($"/alarms/{alarm}", Ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var html = await own.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Leakage current fault", html, StringComparison.Ordinal);
        Assert.Contains("Why Helio raised this", html, StringComparison.Ordinal);

        var strangerBrowser = await SignedInAsync(stranger);
        var foreign = await strangerBrowser.GetAsync($"/alarms/{alarm}", Ct);
        var missing = await strangerBrowser.GetAsync($"/alarms/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var foreignHtml = await foreign.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Alarm not found", foreignHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Leakage current fault", foreignHtml, StringComparison.Ordinal);

        // The plant's list and settings too.
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync($"/plants/{plant}/alarms", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerBrowser.GetAsync($"/plants/{plant}/alarm-settings", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ownerBrowser.GetAsync($"/plants/{plant}/alarm-settings", Ct)).StatusCode);
    }

    [Fact]
    public async Task AlarmList_FiltersByStateAndSeverity_NewestFirst()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Filtered roof");
        var major = await RaiseAsync(plant, "ID05", AlarmSeverity.Major, "Leakage current fault");
        var critical = await RaiseAsync(plant, "ID129", AlarmSeverity.Critical, "AC hardware overcurrent (permanent)");
        var cleared = await RaiseAsync(plant, "ID01", AlarmSeverity.Major, "Grid overvoltage");
        await using (var scope = app.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<AlarmBook>().ClearAsync(Alarm.KeyOf(plant, Serial, AlarmSource.Fault, "ID01"), "gone", Ct);
        }
        var browser = await SignedInAsync(owner);

        Assert.Equal([cleared, critical, major], await RowsAsync(browser, $"/plants/{plant}/alarms"));
        Assert.Equal([critical, major], await RowsAsync(browser, $"/plants/{plant}/alarms?state=active"));
        Assert.Equal([cleared], await RowsAsync(browser, $"/plants/{plant}/alarms?state=cleared"));
        Assert.Equal([critical], await RowsAsync(browser, $"/plants/{plant}/alarms?state=all&severity=critical"));
        Assert.Equal([cleared, major], await RowsAsync(browser, $"/plants/{plant}/alarms?state=all&severity=major"));
        Assert.Empty(await RowsAsync(browser, $"/plants/{plant}/alarms?state=closed"));
        // A hand-edited filter falls back to the default (open, any severity) instead of failing.
        Assert.Equal([cleared, critical, major], await RowsAsync(browser, $"/plants/{plant}/alarms?state=nonsense&severity=loud"));

        // The portfolio counts the three open ones, coloured by the worst active severity.
        var portfolio = await browser.GetStringAsync("/plants", Ct);
        Assert.Matches($"class=\"alarm-count severity-critical\" data-open=\"3\"", portfolio);
    }

    private const string Serial = "SS1ES123456789";

    private async Task<Guid> RaiseAsync(Guid plant, string code, AlarmSeverity severity, string title)
    {
        var alarm = await app.RaiseAsync(plant, Serial, code, severity, title, "Call your installer.");
        // Ids are version 7 UUIDs from the raising time: a millisecond apart keeps "newest first" unambiguous.
        await Task.Delay(5, Ct);
        return alarm.Id;
    }

    private static async Task<List<Guid>> RowsAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        return [.. AlarmRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value))];
    }

    /// <summary>Signs in through the sign-in page's form, as a browser does, and keeps its cookies.</summary>
    private Task<HttpClient> SignedInAsync(Owner owner) => app.BrowserAsync(owner);

    [GeneratedRegex("<tr data-id=\"([0-9a-f-]{36})\" data-state=")]
    private static partial Regex AlarmRow();
}

public sealed class SqliteAlarmPagesTests(SqliteApp app) : AlarmPagesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAlarmPagesTests(PostgresApp app) : AlarmPagesTests(app), IClassFixture<PostgresApp>;
