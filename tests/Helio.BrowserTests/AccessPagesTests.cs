using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Helio.BrowserTests;

/// <summary>
/// After-sales access in a real browser against the real binary: a support engineer (role given by the operator's
/// <c>users add-role</c> command) asks for access on the page, the owner follows the mailed link and approves, the
/// engineer sees the plant and its owner's contact masked, the owner revokes, and the engineer's next page finds
/// nothing.
/// </summary>
public sealed partial class AccessPagesTests(AccessPagesTests.Scene scene) : BrowserTest, IClassFixture<AccessPagesTests.Scene>
{
    [Fact]
    public async Task Support_Asks_TheOwnerApproves_TheEngineerSeesThePlant_TheOwnerRevokes()
    {
        var engineer = await SignedInAsync(scene.Server.BaseAddress, scene.SupportEmail, Scene.Password, 1280, 900);
        await engineer.GotoAsync($"/plants/{scene.PlantId}");
        Assert.Equal("Plant not found", await engineer.InnerTextAsync("h1"));

        await engineer.GotoAsync("/access-requests");
        await engineer.FillAsync("#ask-plant", scene.PlantId);
        await engineer.SelectOptionAsync("#ask-scope", "view");
        await engineer.FillAsync("#ask-hours", "8");
        await engineer.FillAsync("#ask-reason", "The inverter trips every morning; I need its fault history.");
        await engineer.ClickAsync("#ask-submit");
        await engineer.WaitForSelectorAsync("#my-requests tr[data-state=pending]");

        var mail = await scene.Server.WaitForMailAsync(Scene.OwnerEmail, "Access request for the plant Hillside");
        var link = MailedLink().Match(mail.TextBody!).Value;
        var owner = await SignedInAsync(scene.Server.BaseAddress, Scene.OwnerEmail, Scene.Password, 1280, 900);
        await owner.GotoAsync(new Uri(link).PathAndQuery + new Uri(link).Fragment);
        var row = owner.Locator("#awaiting tr[data-state=pending]");
        Assert.Contains("s***@e***.com", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("fault history", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("button.approve").ClickAsync();
        var grant = owner.Locator("#active-grants tbody tr");
        await grant.WaitForAsync();
        Assert.StartsWith("7 h 59 min", await grant.Locator(".time-left").InnerTextAsync(), StringComparison.Ordinal);

        await engineer.GotoAsync($"/plants/{scene.PlantId}");
        Assert.Equal("Hillside", await engineer.InnerTextAsync("h1"));
        await engineer.GotoAsync($"/plants/{scene.PlantId}/owner-contact");
        Assert.Equal("H***** O****", await engineer.InnerTextAsync("#contact-name"));
        Assert.DoesNotContain(Scene.OwnerEmail, await engineer.ContentAsync(), StringComparison.OrdinalIgnoreCase);

        await grant.Locator("button.revoke").ClickAsync();
        await owner.WaitForSelectorAsync("#active-none");
        await engineer.GotoAsync($"/plants/{scene.PlantId}");
        Assert.Equal("Plant not found", await engineer.InnerTextAsync("h1"));
        await engineer.GotoAsync("/access-requests");
        await engineer.WaitForSelectorAsync("#my-requests tr[data-state=revoked]");
        Assert.Empty(CspViolations);
    }

    [GeneratedRegex(@"https?://\S+/access-requests#request-[0-9a-f-]{36}")]
    private static partial Regex MailedLink();

    /// <summary>A running server with an owner and their plant, and a user made support engineer by the operator.</summary>
    public sealed class Scene : IAsyncLifetime
    {
        public const string Password = "a very private password";
        public static readonly string OwnerEmail = $"owner.{Guid.NewGuid():N}@example.com";

        public HelioServer Server { get; } = new();

        public string SupportEmail { get; } = $"support.{Guid.NewGuid():N}@example.com";

        public string PlantId { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            await Server.InitializeAsync();
            if (Browsers.ChromiumPath() is null)
            {
                return;
            }
            var ct = TestContext.Current.CancellationToken;
            using var owner = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, owner, OwnerEmail, Password, "Hannah Owner", ct);
            var plant = await ServerApi.PostAsync(owner, "/api/v1/plants", new { name = "Hillside", latitude = 47.5, longitude = 9.7, timeZone = "Europe/Zurich", capacityKwp = 12 }, ct);
            PlantId = plant["id"]!.GetValue<string>();
            using var support = new HttpClient { BaseAddress = Server.BaseAddress };
            await ServerApi.RegisterOwnerAsync(Server, support, SupportEmail, Password, "Sam Support", ct);
            await AddRoleAsync(SupportEmail, "support");
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        /// <summary>The operator's command, on the running server's data directory (SQLite takes both).</summary>
        private async Task AddRoleAsync(string email, string role)
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var serverDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Helio.Server/bin", configuration, "net10.0"));
            var start = new ProcessStartInfo("dotnet", [Path.Combine(serverDirectory, "Helio.Server.dll"), "users", "add-role", email, role, $"--Helio:DataDirectory={Server.DataDirectory}"])
            {
                WorkingDirectory = serverDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
        }
    }
}
