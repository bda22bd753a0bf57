using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helio.Server.Tests.Infrastructure;

/// <summary>Keeps every formatted log line (with exceptions) so tests can prove no personal data reaches logs.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
