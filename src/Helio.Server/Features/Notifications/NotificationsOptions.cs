using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Notifications;

/// <summary>Settings under "Notifications": fan-out pace, rate limits, and webhook and push delivery.</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>How often the notifier looks for alarm events nobody has been told about yet (it is also woken at once on this node).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per user and plant: at most this many alarm notifications an hour per channel; the rest go into the next digest.</summary>
    [Range(1, 10_000)]
    public int PerPlantPerHour { get; set; } = 20;

    /// <summary>Per user, over all their plants: at most this many an hour per channel; the rest go into the next digest.</summary>
    [Range(1, 100_000)]
    public int PerUserPerHour { get; set; } = 100;

    /// <summary>Webhook and push delivery attempts (backoff 30 s doubling to 1 h) before a delivery is dead.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 8;
}
