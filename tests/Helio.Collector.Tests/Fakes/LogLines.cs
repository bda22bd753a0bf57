using System.Text;

namespace Helio.Collector.Tests.Fakes;

/// <summary>The collector's output, line by line, safe to read while it writes.</summary>
internal sealed class LogLines : TextWriter
{
    private readonly List<string> lines = [];
    private readonly StringBuilder partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public bool Any(string fragment) => Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));

    public override void Write(char value)
    {
        lock (lines)
        {
            if (value == '\n')
            {
                lines.Add(partial.ToString());
                partial.Clear();
            }
            else if (value != '\r')
            {
                partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (lines)
        {
            lines.Add(partial + value);
            partial.Clear();
        }
    }

    public override string ToString() => string.Join('\n', Lines);
}
