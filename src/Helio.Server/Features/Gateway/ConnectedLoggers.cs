using System.Collections.Concurrent;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// The loggers connected to this node, one connection each: a logger that reconnects (after a network change or
/// its 3-hourly handshake cycle) replaces its old connection, which is closed, so no half-open connection lingers.
/// </summary>
internal sealed class ConnectedLoggers
{
    private readonly ConcurrentDictionary<uint, CancellationTokenSource> connections = new();

    public int Count => connections.Count;

    public bool IsConnected(uint loggerSerial) => connections.ContainsKey(loggerSerial);

    /// <summary>Records <paramref name="connection"/> as the logger's one connection, closing any earlier one.</summary>
    public void Connected(uint loggerSerial, CancellationTokenSource connection)
    {
        while (true)
        {
            if (connections.TryGetValue(loggerSerial, out var earlier))
            {
                if (earlier == connection)
                {
                    return;
                }
                if (connections.TryUpdate(loggerSerial, connection, earlier))
                {
                    Close(earlier);
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
    public void Disconnected(uint loggerSerial, CancellationTokenSource connection) =>
        connections.TryRemove(new KeyValuePair<uint, CancellationTokenSource>(loggerSerial, connection));

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
}
