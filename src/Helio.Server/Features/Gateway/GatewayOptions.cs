using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Gateway;

/// <summary>Settings under "Gateway": where Solarman loggers in push mode connect, and how they are polled.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>TCP port loggers connect to (their "Server A/B" setting); 10000 is what loggers default to. 0 lets the system choose (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 10000;

    /// <summary>How often the inverter behind each logger is read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one Modbus request may wait for the logger's response.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Loggers heartbeat every 120 s; a connection silent for three of them is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(360);

    /// <summary>Connections held at once on this node; more are closed as they arrive.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>
    /// Frames one logger may send per minute. A real logger sends about ten (heartbeats, pushes and the answers to
    /// a poll); a connection beyond the limit is closed, so a flood cannot slow the gateway for others.
    /// </summary>
    [Range(10, 100_000)]
    public int MaxFramesPerMinute { get; set; } = 600;

    /// <summary>Garbage (bytes that are no frame) one connection may send before it is closed.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxGarbageBytes { get; set; } = 64 * 1024;
}
