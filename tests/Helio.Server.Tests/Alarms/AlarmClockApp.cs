using System.Net;
using Helio.Server.Features.Gateway;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Helio.Server.Tests.Alarms;

/// <summary>
/// Helio on a fake clock the test moves: polls, heartbeats, the offline checks and the rollups happen only when it
/// advances. The clock starts at the real time (so tokens and mails behave), and plants are placed on the globe where
/// it is noon (or midnight) now, so that day and night are wherever the test needs them.
/// </summary>
public abstract class AlarmClockApp(Provider provider) : HelioApp(provider)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMinutes(1);

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60));

    /// <summary>The longitude where the sun is highest at the clock's start (on the equator: well up all year).</summary>
    public double NoonLongitude => Normalise(-(Clock.GetUtcNow().TimeOfDay.TotalHours - 12) * 15);

    public double MidnightLongitude => Normalise(NoonLongitude + 180);

    public async Task<int> GatewayPortAsync() => ((IPEndPoint)await Services.GetRequiredService<GatewayListener>().BoundEndPoint).Port;

    /// <summary>Moves the clock in poll-sized steps, letting the server's loops run after each.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        for (var left = by; left > TimeSpan.Zero; left -= PollInterval)
        {
            Clock.Advance(left < PollInterval ? left : PollInterval);
            await Task.Delay(150);
        }
    }

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("Gateway:PollInterval", PollInterval.ToString());
        builder.UseSetting("Alarms:CheckInterval", "00:01:00");
        builder.UseSetting("Notifications:PollInterval", "00:00:00.200");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    private static double Normalise(double longitude) => ((longitude + 540) % 360) - 180;
}

public sealed class SqliteAlarmClockApp() : AlarmClockApp(Provider.Sqlite);

public sealed class PostgresAlarmClockApp() : AlarmClockApp(Provider.Postgres);
