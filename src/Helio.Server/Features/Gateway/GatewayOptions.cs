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
}
