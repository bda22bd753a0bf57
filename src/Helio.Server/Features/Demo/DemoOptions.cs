using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Demo;

/// <summary>Settings under "Demo", used only by a --demo run.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// How often the gateway reads the inverters in a --demo run, instead of Gateway:PollInterval (60 s by default),
    /// so that a newcomer watches values change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);
}
