using System.Net.Http.Json;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Notifications;
using Helio.Server.Platform.Data;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Notifications;

/// <summary>Helio with a small per-plant rate limit, so a flood is quick to make.</summary>
public abstract class RoutingApp(Provider provider) : HelioApp(provider)
{
    public const int PerPlantPerHour = 3;

    protected override void ConfigureMore(IWebHostBuilder builder) =>
        builder.UseSetting("Notifications:PerPlantPerHour", PerPlantPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class SqliteRoutingApp() : RoutingApp(Provider.Sqlite);

public sealed class PostgresRoutingApp() : RoutingApp(Provider.Postgres);

/// <summary>
/// Who hears what, when: the notifier's decisions per the owner's settings, counted in its ledger and in the owner's
/// real mailbox. Alarms are raised through the lifecycle (AlarmBook), as the detectors raise them.
/// </summary>
public abstract class AlarmRoutingTests(RoutingApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFlood_IsCappedPerPlant_AndTheRestArriveInADigest()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Flooded");
        for (var id = 1; id <= RoutingApp.PerPlantPerHour + 2; id++)
        {
            await RaiseAsync(plant, $"ID{id:D2}", AlarmSeverity.Major);
        }

        // Usually one digest of both; the digest job may run between two raises, and then each comes in its own.
        IEnumerable<MimeKit.MimeMessage> Digests() => app.Mail.To(owner.Email).Where(m => m.Subject!.StartsWith("[Helio] Alarm digest:", StringComparison.Ordinal));
        await Eventually.True(() => Digests().Sum(m => int.Parse(m.Subject!.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture)) == 2, "the two over the limit in digests");
        var digested = string.Concat(Digests().Select(m => m.TextBody));
        Assert.Contains("ID04", digested, StringComparison.Ordinal);
        Assert.Contains("ID05", digested, StringComparison.Ordinal);
        await Eventually.True(() => app.Mail.To(owner.Email).Count(m => m.Subject!.StartsWith("[Helio] Major:", StringComparison.Ordinal)) == RoutingApp.PerPlantPerHour, "one mail per alarm up to the limit");
        var states = await LedgerAsync(plant);
        Assert.Equal(RoutingApp.PerPlantPerHour, states.Count(s => s == NotificationState.Sent));
        Assert.Equal(2, states.Count(s => s == NotificationState.Digested));
    }

    [Fact]
    public async Task BelowTheMinimumSeverity_OrOnAMutedPlant_NobodyIsMailed_ButCriticalIgnoresQuietHours()
    {
        var owner = await app.RegisterOwnerAsync();
        var quietPlant = await owner.CreatePlantAsync("Quiet");
        var mutedPlant = await owner.CreatePlantAsync("Muted");
        var now = DateTimeOffset.UtcNow;
        var settings = await owner.Client.PutAsJsonAsync("/api/v1/notification-settings", new
        {
            minSeverity = "major", email = true, push = true, dailyDigest = false, digestHour = 7,
            quietFrom = now.AddHours(-1).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            quietUntil = now.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            timeZone = "UTC",
        }, Ct);
        settings.EnsureSuccessStatusCode();
        (await owner.Client.PutAsJsonAsync($"/api/v1/plants/{mutedPlant}/notification-settings", new { minSeverity = "info", email = true, push = true, muted = true }, Ct)).EnsureSuccessStatusCode();

        await RaiseAsync(quietPlant, "ID01", AlarmSeverity.Warning);
        await RaiseAsync(mutedPlant, "ID129", AlarmSeverity.Critical);
        await RaiseAsync(quietPlant, "ID02", AlarmSeverity.Major);
        await RaiseAsync(quietPlant, "ID130", AlarmSeverity.Critical);

        await app.Mail.WaitForAsync(owner.Email, "Critical: ID130");
        await Eventually.True(async () => (await LedgerAsync(quietPlant)).Count == 2, "the major and the critical alarm in the ledger");
        Assert.Equal([NotificationState.Sent, NotificationState.Held], (await LedgerAsync(quietPlant)).Order());
        Assert.Empty(await LedgerAsync(mutedPlant));
        Assert.DoesNotContain(app.Mail.To(owner.Email), m => m.Subject!.Contains("ID01", StringComparison.Ordinal) || m.Subject.Contains("ID02", StringComparison.Ordinal) || m.Subject.Contains("ID129", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFlappingAlarm_TellsOnce_ThenStaysQuietWhileItFlaps()
    {
        var owner = await app.RegisterOwnerAsync();
        var plant = await owner.CreatePlantAsync("Flapping");
        var key = Alarm.KeyOf(plant, "SN-FLAP", AlarmSource.Fault, "ID03");
        await RaiseAsync(plant, "ID03", AlarmSeverity.Major);
        for (var i = 0; i < 4; i++)
        {
            await using var scope = app.Scope();
            var book = scope.ServiceProvider.GetRequiredService<AlarmBook>();
            await book.ClearAsync(key, "gone", Ct);
            await RaiseAsync(plant, "ID03", AlarmSeverity.Major);
        }

        // This app allows 3 mails a plant an hour: the rest, the flapping notice among them, wait for a digest (one
        // goes at once, the next an hour later, so how many the first holds depends on timing).
        await app.Mail.WaitForAsync(owner.Email, "Alarm digest");
        await using (var scope = app.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var alarm = await db.Alarms.SingleAsync(a => a.PlantId == plant, Ct);
            Assert.Equal(5, alarm.Occurrences);
            Assert.NotNull(alarm.QuietUntil);
            Assert.Equal(1, await db.AlarmEvents.CountAsync(e => e.AlarmId == alarm.Id && e.Kind == AlarmEventKind.Flapping, Ct));
        }
        // Raised, then cleared and back three times, the third return making it flap: seven notices (the flapping one
        // instead of the third return's), then silence for the fourth clear and return.
        await Eventually.True(async () => (await LedgerAsync(plant)).Count == 7, "seven notices");
        await Task.Delay(500, Ct);
        var ledger = await LedgerAsync(plant);
        Assert.Equal(7, ledger.Count);
        Assert.Equal(3, ledger.Count(s => s == NotificationState.Sent));
    }

    private Task RaiseAsync(Guid plant, string code, AlarmSeverity severity) =>
        app.RaiseAsync(plant, code == "ID03" ? "SN-FLAP" : "SN-" + code, code, severity);

    private async Task<List<NotificationState>> LedgerAsync(Guid plant)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        return await (from n in db.Notifications
                      join a in db.Alarms on n.AlarmId equals a.Id
                      where a.PlantId == plant && n.Channel == NotificationChannel.Email
                      select n.State).ToListAsync(Ct);
    }
}

public sealed class SqliteAlarmRoutingTests(SqliteRoutingApp app) : AlarmRoutingTests(app), IClassFixture<SqliteRoutingApp>;

public sealed class PostgresAlarmRoutingTests(PostgresRoutingApp app) : AlarmRoutingTests(app), IClassFixture<PostgresRoutingApp>;
