using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Notifications;

/// <summary>Settings under "Notifications": fan-out pace, rate limits, and webhook and push delivery.</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>How often the notifier looks for alarm events nobody has been told about yet (it is also woken at once on this node).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Per user and plant: at most this many alarm notifications an hour per channel; e-mails beyond go into a digest (sent at most hourly), pushes beyond are not sent.</summary>
    [Range(1, 10_000)]
    public int PerPlantPerHour { get; set; } = 20;

    /// <summary>Per user, over all their plants: at most this many an hour per channel, with the same overflow as <see cref="PerPlantPerHour"/>.</summary>
    [Range(1, 100_000)]
    public int PerUserPerHour { get; set; } = 100;

    /// <summary>Webhook and push delivery attempts (backoff from <see cref="RetryBase"/> doubling to 1 h) before a delivery is dead.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each further one doubles it, up to one hour.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one webhook or push request may take before it counts as failed.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the delivery worker looks for due deliveries when nothing signals it.</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Lets webhooks (and push endpoints) use plain http and loopback, private, link-local or unique-local addresses.
    /// Off by default: otherwise any user could make the server probe its own network (SSRF).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    public VapidOptions Vapid { get; set; } = new();
}

/// <summary>
/// The server's Web Push identity (RFC 8292). Without keys here a pair is generated once into
/// &lt;data dir&gt;/keys/vapid.json; several nodes must share one pair, so they configure it.
/// </summary>
public sealed class VapidOptions
{
    /// <summary>Uncompressed P-256 public key, base64url.</summary>
    public string? PublicKey { get; set; }

    /// <summary>P-256 private scalar, base64url.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A contact for push services: mailto: or https: URL.</summary>
    public string? Subject { get; set; }
}
