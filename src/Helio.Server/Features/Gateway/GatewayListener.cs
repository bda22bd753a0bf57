using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Accepts logger connections on <see cref="GatewayOptions.Port"/> with Kestrel's socket transport (pipelines), and
/// runs a <see cref="LoggerSession"/> for each. It has its own listener rather than a Kestrel endpoint, because
/// an endpoint configured in code would make Kestrel ignore the HTTP addresses given by "Urls".
/// </summary>
internal sealed partial class GatewayListener(
    IOptions<GatewayOptions> options,
    ILoggerFactory loggers,
    TimeProvider time,
    GatewayMetrics metrics,
    IReadingSink sink,
    ConnectedLoggers connected,
    LoggerPlants? plants = null,
    LoggerLinks? links = null) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<GatewayListener>();
    private readonly TaskCompletionSource<EndPoint> bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int active;

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => Volatile.Read(ref active);

    /// <summary>The address actually listened on (with <c>Gateway:Port=0</c>, the port the system chose).</summary>
    public Task<EndPoint> BoundEndPoint => bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers);
        IConnectionListener listener;
        try
        {
            listener = await transport.BindAsync(new IPEndPoint(IPAddress.IPv6Any, options.Value.Port), stoppingToken);
        }
        catch (Exception e)
        {
            bound.TrySetException(e);
            throw;
        }
        var maxConnections = OpenFilesLimit.Connections(options.Value.MaxConnections, OpenFilesLimit.Current());
        if (maxConnections < options.Value.MaxConnections)
        {
            LogFileLimit(logger, options.Value.MaxConnections, maxConnections);
        }
        await using (listener)
        {
            bound.TrySetResult(listener.EndPoint);
            LogListening(logger, listener.EndPoint);
            while (await listener.AcceptAsync(stoppingToken) is { } connection)
            {
                if (Interlocked.Increment(ref active) > maxConnections)
                {
                    Interlocked.Decrement(ref active);
                    metrics.Refused();
                    LogFull(logger, maxConnections);
                    await connection.DisposeAsync();
                    continue;
                }
                // Each session ends on its own: when the logger leaves, goes silent, misbehaves, or the server stops.
                _ = ServeAsync(connection, stoppingToken);
            }
        }
    }

    private async Task ServeAsync(ConnectionContext connection, CancellationToken stoppingToken)
    {
        await using (connection)
        {
            // Ended by shutdown, or by the same logger connecting again (ConnectedLoggers).
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            metrics.Connected();
            var reason = "error";
            // Declared first: the session hands itself to ConnectedLoggers (for remote operations) once it identifies.
            LoggerSession? session = null;
            session = new LoggerSession(
                connection.Transport, options.Value, time, logger, metrics, sink.AcceptAsync,
                plants is null ? null : plants.AttachAsync,
                serial => connected.Connected(serial, lifetime, session),
                links);
            try
            {
                await session.RunAsync(lifetime.Token);
                reason = session.EndReason ?? (stoppingToken.IsCancellationRequested ? "shutdown" : "replaced");
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                // Shutting down, or replaced by a newer connection of the same logger.
                reason = stoppingToken.IsCancellationRequested ? "shutdown" : "replaced";
            }
            catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
            {
                reason = "dropped";
                LogDropped(logger, session.LoggerSerial ?? 0, e.Message);
            }
            catch (Exception e)
            {
                // A fault in one session must not go unseen, nor reach any other logger's connection.
                LogFailed(logger, session.LoggerSerial ?? 0, e);
            }
            finally
            {
                if (session.LoggerSerial is { } serial)
                {
                    connected.Disconnected(serial, lifetime);
                    if (!connected.IsConnected(serial))
                    {
                        links?.Forget(serial);
                    }
                }
                Interlocked.Decrement(ref active);
                metrics.Disconnected(reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway:MaxConnections is {Configured} but the open-files limit (ulimit -n) leaves room for {Possible} logger connections: more are refused until the limit is raised")]
    private static partial void LogFileLimit(ILogger logger, int configured, int possible);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway listening for loggers on {EndPoint}")]
    private static partial void LogListening(ILogger logger, EndPoint endPoint);

    // No remote address in these messages: a home logger's address is its owner's IP address, personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway holds {MaxConnections} connections (Gateway:MaxConnections, or the open-files limit): a new one was refused")]
    private static partial void LogFull(ILogger logger, int maxConnections);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session of logger {LoggerSerial} failed")]
    private static partial void LogFailed(ILogger logger, uint loggerSerial, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logger {LoggerSerial} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, uint loggerSerial, string reason);
}

/// <summary>Where polled readings go (the store).</summary>
internal interface IReadingSink
{
    ValueTask AcceptAsync(PolledReading reading, CancellationToken cancellationToken);
}
