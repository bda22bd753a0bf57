using System.Collections.Concurrent;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// The loggers connected to this node, one connection each: a logger that reconnects (after a network change or
/// its 3-hourly handshake cycle) replaces its old connection, which is closed, so no half-open connection lingers.
/// Each connection's session is kept with it, so that remote operations can write through it (<see cref="LoggerWrites"/>).
/// </summary>
internal sealed class ConnectedLoggers
{
    private readonly ConcurrentDictionary<uint, Connection> connections = new();

    public int Count => connections.Count;

    public bool IsConnected(uint loggerSerial) => connections.ContainsKey(loggerSerial);

    /// <summary>The session of the logger's current connection to this node; null when it is not connected here.</summary>
    public LoggerSession? SessionOf(uint loggerSerial) => connections.TryGetValue(loggerSerial, out var current) ? current.Session : null;

    /// <summary>Records <paramref name="lifetime"/> as the logger's one connection, closing any earlier one.</summary>
    public void Connected(uint loggerSerial, CancellationTokenSource lifetime, LoggerSession? session = null)
    {
        var connection = new Connection(lifetime, session);
        while (true)
        {
            if (connections.TryGetValue(loggerSerial, out var earlier))
            {
                if (earlier.Lifetime == lifetime)
                {
                    return;
                }
                if (connections.TryUpdate(loggerSerial, connection, earlier))
                {
                    Close(earlier.Lifetime);
                    return;
                }
            }
            else if (connections.TryAdd(loggerSerial, connection))
            {
                return;
            }
        }
    }

    /// <summary>Forgets the connection if it is still the logger's current one.</summary>
    public void Disconnected(uint loggerSerial, CancellationTokenSource lifetime)
    {
        if (connections.TryGetValue(loggerSerial, out var current) && current.Lifetime == lifetime)
        {
            connections.TryRemove(new KeyValuePair<uint, Connection>(loggerSerial, current));
        }
    }

    private static void Close(CancellationTokenSource connection)
    {
        try
        {
            connection.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That connection has ended on its own meanwhile.
        }
    }

    private sealed record Connection(CancellationTokenSource Lifetime, LoggerSession? Session);
}
