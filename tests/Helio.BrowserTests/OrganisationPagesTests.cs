using System.Text.RegularExpressions;

namespace Helio.BrowserTests;

/// <summary>
/// Organisations and sharing in a real browser against the real binary: an installer founds an organisation and
/// invites a colleague by e-mail; the colleague joins with the mailed link; an owner shares a plant with the
/// organisation by its id on the plant's Sharing page; the colleague sees the plant; the owner ends the share and the
/// colleague's very next page no longer shows it.
/// </summary>
public sealed partial class OrganisationPagesTests(OrganisationPagesTests.People people) : BrowserTest, IClassFixture<OrganisationPagesTests.People>
{
    [Fact]
    public async Task Admin_Invites_ColleagueJoins_OwnerShares_ColleagueSees_OwnerEnds()
    {
        var server = people.Server;
        var admin = await SignedInAsync(server.BaseAddress, people.Admin, People.Password, 1280, 900);
        await admin.ClickAsync("header a[href='/organisations']");
        await admin.FillAsync("#organisation-name", "Browser Solar");
        await admin.ClickAsync("#create-organisation");
        await admin.WaitForSelectorAsync("#organisation-id");
        var organisationId = (await admin.InnerTextAsync("#organisation-id")).Trim();
        Assert.Equal("admin", await admin.GetAttributeAsync("#your-role", "data-role"));

        await admin.FillAsync("#invite-email", people.Colleague);
        await admin.SelectOptionAsync("#invite-role", "installer");
        await admin.ClickAsync("#send-invitation");
        await admin.WaitForSelectorAsync("#invitation-sent");
        Assert.Contains(people.Colleague, await admin.InnerTextAsync("#invitation-list"), StringComparison.Ordinal);

        var mail = await server.WaitForMailAsync(people.Colleague, "Join Browser Solar on Helio");
        var link = new Uri(JoinLink().Match(mail.TextBody!).Value);
        var colleague = await SignedInAsync(server.BaseAddress, people.Colleague, People.Password, 1280, 900);
        await colleague.GotoAsync(link.PathAndQuery);
        Assert.Contains("Browser Solar", await colleague.InnerTextAsync("#offer"), StringComparison.Ordinal);
        await colleague.ClickAsync("#join");
        await colleague.WaitForSelectorAsync("#your-role");
        Assert.Equal("installer", await colleague.GetAttributeAsync("#your-role", "data-role"));
        Assert.Equal(1, await colleague.Locator("#no-plants").CountAsync());

        var owner = await SignedInAsync(server.BaseAddress, people.Owner, People.Password, 1280, 900);
        await owner.GotoAsync($"/plants/{people.PlantId}");
        await owner.ClickAsync("#sharing");
        await owner.FillAsync("#organisation-id", organisationId);
        await owner.SelectOptionAsync("#organisation-scope", "view");
        // Sharing with an installer needs the owner's consent to that purpose, given with the share (ADR 0022).
        await owner.CheckAsync("#share-organisation-consent");
        await owner.ClickAsync("#share-organisation");
        var row = owner.Locator("#share-list tr[data-state=active]");
        await row.WaitForAsync();
        Assert.Contains("Browser Solar (organisation)", await row.InnerTextAsync(), StringComparison.Ordinal);

        await colleague.GotoAsync("/plants");
        Assert.Equal(1, await colleague.Locator($"#portfolio tr[data-id='{people.PlantId}']").CountAsync());
        await colleague.GotoAsync($"/organisations/{organisationId}");
        Assert.Equal("view", await colleague.GetAttributeAsync($"#shared-plants tr[data-plant='{people.PlantId}']", "data-scope"));
        Assert.Equal(0, await colleague.Locator("#member-list").CountAsync());

        await owner.ClickAsync("#share-list .end-share");
        await owner.WaitForSelectorAsync("#no-shares");
        var gone = await colleague.GotoAsync($"/plants/{people.PlantId}");
        Assert.Equal(404, gone!.Status);
        Assert.Equal("Plant not found", await colleague.InnerTextAsync("h1"));
        Assert.Empty(CspViolations);
    }

    [GeneratedRegex(@"https?://\S+/organisations/join\?\S+")]
    private static partial Regex JoinLink();

    /// <summary>A server, an owner with a plant, and two confirmed installers.</summary>
    public sealed class People : IAsyncLifetime
    {
        public const string Password = "a very private password";

        public HelioServer Server { get; } = new();

        public string Owner { get; } = $"owner.{Guid.NewGuid():N}@example.com";

        public string Admin { get; } = $"admin.{Guid.NewGuid():N}@example.com";

        public string Colleague { get; } = $"colleague.{Guid.NewGuid():N}@example.com";

        public Guid PlantId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            var ct = TestContext.Current.CancellationToken;
            foreach (var (email, name) in new[] { (Admin, "Ada Admin"), (Colleague, "Carl Colleague") })
            {
                using var http = new HttpClient { BaseAddress = Server.BaseAddress };
                await ServerApi.RegisterOwnerAsync(Server, http, email, Password, name, ct);
            }
            using var owner = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, owner, Owner, Password, "Olga Owner", ct);
            var plant = await ServerApi.PostAsync(owner, "/api/v1/plants", new { name = "Shared roof", latitude = 48.1, longitude = 11.6, timeZone = "Europe/Berlin", capacityKwp = 9.9 }, ct);
            PlantId = plant["id"]!.GetValue<Guid>();
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
