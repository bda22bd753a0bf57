using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Ingest;

/// <summary>Settings under "Mqtt": the external broker Helio takes readings from. Off while Server is empty.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>The broker's host name or address; empty turns MQTT ingest off.</summary>
    public string? Server { get; set; }

    /// <summary>0 means the usual port: 8883 with TLS, 1883 without.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Topic filter to subscribe to; wildcards allowed.</summary>
    [Required]
    public string Topic { get; set; } = "helio/ingest/#";

    /// <summary>
    /// Nodes of one Helio share the subscription under this group name (MQTT 5 shared subscription), so the broker
    /// gives each message to one of them. Empty subscribes plainly: every node then gets every message (harmless,
    /// as readings are stored once, but wasted work).
    /// </summary>
    public string? SharedGroup { get; set; } = "helio";

    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool UseTls { get; set; }

    /// <summary>Skip certificate validation: only for a broker with a self-signed certificate on a trusted network.</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Empty: "helio-" and the machine name. Each node needs its own.</summary>
    public string? ClientId { get; set; }

    /// <summary>How often the connection is checked and, when lost, opened again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Server);

    public int EffectivePort => Port != 0 ? Port : UseTls ? 8883 : 1883;

    public string SubscriptionTopic => string.IsNullOrWhiteSpace(SharedGroup) ? Topic : $"$share/{SharedGroup}/{Topic}";
}
