using System.Globalization;

namespace Helio.Benchmarks.Telemetry;

/// <summary>The telemetry subcommands' options: <c>--name value</c> pairs after the subcommand.</summary>
internal sealed class Options(string[] args)
{
    public int Int(string name, int fallback) => Get(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => args.Contains("--" + name);

    public string? Get(string name)
    {
        var at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
