using System.Globalization;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Every logger connection is a file descriptor, and a process that runs out of them fails in unpredictable
/// places (the runtime itself answers "Out of memory"). The gateway therefore takes no more connections than the
/// process's open-files limit leaves room for, keeping <see cref="Reserve"/> for the runtime's own files, the
/// database and HTTP.
/// </summary>
internal static class OpenFilesLimit
{
    /// <summary>Descriptors kept free: a running server holds about 350 (assemblies, database, logs) before any client.</summary>
    public const int Reserve = 512;

    /// <summary>The soft limit on open files (Linux, from /proc/self/limits); null where it cannot be read.</summary>
    public static int? Current()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(path))
        {
            // "Max open files            20000                20000                files"
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return int.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null; // "unlimited"
            }
        }
        return null;
    }

    /// <summary>The connections this node may hold: the configured maximum, or less when the limit leaves no room for it.</summary>
    public static int Connections(int configured, int? limit) =>
        limit is { } files ? Math.Max(1, Math.Min(configured, files - Reserve)) : configured;
}
