namespace Helio.Server.Platform.Hosting;

/// <summary>Splits Helio's own words (an admin command, --demo) from the ASP.NET Core configuration arguments.</summary>
internal sealed record CommandLine(string[]? Command, bool Demo, string[] HostArguments)
{
    public static CommandLine Parse(string[] args)
    {
        var demo = args.Contains("--demo", StringComparer.Ordinal);
        var rest = args.Where(a => a != "--demo").ToArray();
        if (rest.Length > 0 && AdminCommands.Names.Contains(rest[0], StringComparer.Ordinal))
        {
            var words = rest.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
            return new CommandLine(words, demo, rest[words.Length..]);
        }
        return new CommandLine(null, demo, rest);
    }
}
