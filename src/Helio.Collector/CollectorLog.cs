using System.Globalization;

namespace Helio.Collector;

/// <summary>
/// The collector's output: one line per event, local time first, for a person watching a terminal or a journal.
/// Messages are formatted with the invariant culture. Nothing written here may contain the ingest key; logger
/// addresses are fine (they are the user's own LAN, typed or discovered by them) and never leave this machine.
/// </summary>
public sealed class CollectorLog(TextWriter output, TimeProvider time)
{
    private readonly Lock writing = new();

    public void Info(FormattableString message) => Write("", message);

    public void Warn(FormattableString message) => Write("warning: ", message);

    public void Error(FormattableString message) => Write("error: ", message);

    /// <summary>"1 reading", "2 readings".</summary>
    public static string Count(long count, string noun) => count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");

    private void Write(string level, FormattableString message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{time.GetLocalNow():yyyy-MM-dd HH:mm:ss} {level}{FormattableString.Invariant(message)}");
        lock (writing)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
