using System.Net;
using System.Net.Http.Json;
using Helio.Server.Tests.Infrastructure;

namespace Helio.Server.Tests.Web;

/// <summary>
/// Pages whose sections load their own data. Blazor initialises sibling sections together, so on PostgreSQL sections
/// sharing the request's DbContext failed with "A second operation was started on this context" (SQLite hides it).
/// Each page is loaded several times because the overlap depends on timing. The same goes for a form whose model is
/// set after an await that yields: the render at that await threw "EditForm requires a Model" (a 500 now and then).
/// </summary>
public abstract class PageSectionsTests(HelioApp app)
{
    private const int Loads = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PlantDevice_AndNotificationPages_RenderEverySection()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync();
        var inverter = "SS1ES" + Random.Shared.Next(100_000_000, 999_999_999);
        var device = await owner.Client.PostAsJsonAsync($"/api/v1/plants/{plant}/devices", new { serialNumber = inverter, kind = "inverter", model = "SOFAR 10KTLX-G3" }, Ct);
        Assert.Equal(HttpStatusCode.Created, device.StatusCode);
        var browser = await app.SignedInAsync(owner);

        await LoadsAsync(browser, $"/plants/{plant}", "id=\"ingest-keys\"", "id=\"devices\"");
        await LoadsAsync(browser, $"/devices/{inverter}", "id=\"operations\"");
        await LoadsAsync(browser, "/settings/notifications", "id=\"webhooks\"", "id=\"plant-overrides\"");
    }

    [Fact]
    public async Task PagesWhoseFormsWaitForData_RenderTheirForms()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Form roof");
        var browser = await app.SignedInAsync(owner);

        await LoadsAsync(browser, $"/plants/{plant}/edit", "id=\"plant-name\"", "Form roof");
        await LoadsAsync(browser, $"/plants/{plant}/alarm-settings", "id=\"underperformance\"");
        var stranger = await app.SignedInAsync(await app.RegisterOwnerAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/plants/{plant}/edit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/plants/{plant}/alarm-settings", Ct)).StatusCode);
    }

    private static async Task LoadsAsync(HttpClient browser, string path, params string[] sections)
    {
        for (var i = 0; i < Loads; i++)
        {
            using var response = await browser.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync(Ct);
            foreach (var section in sections)
            {
                Assert.Contains(section, page, StringComparison.Ordinal);
            }
        }
    }
}

public sealed class SqlitePageSectionsTests(SqliteApp app) : PageSectionsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPageSectionsTests(PostgresApp app) : PageSectionsTests(app), IClassFixture<PostgresApp>;
