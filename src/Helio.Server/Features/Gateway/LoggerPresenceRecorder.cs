using Helio.Server.Platform.Data;
using Helio.Server.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Gateway;

/// <summary>Writes when this node's loggers were last heard to <see cref="LoggerPresence"/>, every
/// <see cref="FlushEvery"/>: one transaction for all of them instead of a write per heartbeat.</summary>
internal sealed partial class LoggerPresenceRecorder(LoggerLinks links, IServiceScopeFactory scopes, TimeProvider time, ILogger<LoggerPresenceRecorder> logger)
    : BackgroundService
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodically.RunAsync(FlushEvery, time, FlushAsync, e => LogFailed(logger, e), stoppingToken);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var heard = links.TakeHeard();
        try
        {
            if (heard.Count > 0)
            {
                await RecordAsync(heard, cancellationToken);
            }
        }
        catch
        {
            links.Unrecorded(heard);
            throw;
        }
        links.Prune();
    }

    private async Task RecordAsync(List<(uint Logger, long LastHeardMs)> heard, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        foreach (var chunk in heard.Chunk(1000))
        {
            var serials = chunk.Select(h => LoggerSerials.Format(h.Logger)).ToList();
            var rows = await db.LoggerPresence.Where(p => serials.Contains(p.LoggerSerial)).ToDictionaryAsync(p => p.LoggerSerial, cancellationToken);
            foreach (var (loggerSerial, lastHeardMs) in chunk)
            {
                var serial = LoggerSerials.Format(loggerSerial);
                if (!rows.TryGetValue(serial, out var row))
                {
                    db.LoggerPresence.Add(row = new LoggerPresence { LoggerSerial = serial });
                }
                row.LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(lastHeardMs, row.LastSeenAt.ToUnixTimeMilliseconds()));
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording when loggers were last heard failed; trying again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
