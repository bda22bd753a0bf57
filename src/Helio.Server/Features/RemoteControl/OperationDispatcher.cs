using System.Globalization;
using Helio.Protocols.Modbus;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.RemoteControl;

/// <summary>
/// Delivers queued operations, on every node. A logger's connection lives on one node; the database is the queue. Each
/// node polls for pending operations (and is woken when one is queued on it), takes those whose logger it holds (and
/// whose logger speaks for that inverter), claims each by a conditional update that also requires no other operation
/// of the device in flight, writes through the logger, and records what the device answered: the write's echo and a
/// read-back make it confirmed; an exception, no answer, a read-back that differs or a connection that ends make it
/// failed, with the reason. The sweeps (any node may run them: each step is conditional) fail what waits too long:
/// a pending operation whose logger is offline, one sent by a node that stopped, a dangerous one nobody decided on.
/// </summary>
internal sealed partial class OperationDispatcher(
    IServiceScopeFactory scopes,
    LoggerWrites writes,
    OperationSignal signal,
    IOptions<RemoteControlOptions> options,
    TimeProvider time,
    ILogger<OperationDispatcher> logger) : BackgroundService
{
    /// <summary>Pending operations looked at per round; more wait for the next.</summary>
    private const int Batch = 500;

    /// <summary>Devices written to at once by one node.</summary>
    private const int Parallelism = 16;

    private RemoteControlOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
                while (await DeliverAsync(stoppingToken) > 0)
                {
                    // A device may have more queued behind the one just done: go on while there is work.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            try
            {
                await signal.WaitAsync(Options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delivers the oldest pending operation of each device whose logger this node holds; returns how many were done.</summary>
    internal async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        List<(RemoteOperation Operation, string Logger)> mine;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
            var pending = await db.Set<RemoteOperation>().AsNoTracking().Where(o => o.State == OperationState.Pending)
                .OrderBy(o => o.QueuedAt).Take(Batch).ToListAsync(cancellationToken);
            if (pending.Count == 0)
            {
                return 0;
            }
            var serials = pending.Select(o => o.DeviceSerial).Distinct().ToList();
            var loggers = await db.TelemetryDevices.AsNoTracking().Where(d => serials.Contains(d.Serial) && d.LoggerSerial != null)
                .ToDictionaryAsync(d => d.Serial, d => d.LoggerSerial!, cancellationToken);
            mine = [.. pending
                .Where(o => loggers.TryGetValue(o.DeviceSerial, out var l) && writes.Holds(l, o.DeviceSerial))
                .GroupBy(o => o.DeviceId)
                .Select(g => (g.First(), loggers[g.First().DeviceSerial]))];
        }
        var done = 0;
        await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (await DeliverAsync(item.Operation, item.Logger, ct))
            {
                Interlocked.Increment(ref done);
            }
        });
        return done;
    }

    private async Task<bool> DeliverAsync(RemoteOperation operation, string loggerSerial, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<OperationLedger>();
        var deviceId = operation.DeviceId;
        // The claim: still pending, and nothing else of this device in flight. Whoever makes it sends; nobody else can.
        var claimed = await ledger.MoveAsync(operation,
            o => o.State == OperationState.Pending && !ledger.Operations.Any(x => x.DeviceId == deviceId && x.State == OperationState.Sent),
            s => s.SetProperty(o => o.State, OperationState.Sent).SetProperty(o => o.SentAt, time.GetUtcNow()),
            AuditActions.OperationSent, AuditActor.System, cancellationToken, ("logger", loggerSerial));
        if (!claimed)
        {
            return false;
        }
        WriteReport report;
        using (var timeout = new CancellationTokenSource(Options.OperationTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                report = await writes.WriteAsync(loggerSerial, operation.DeviceSerial, (ushort)operation.Address, OperationCatalogue.Parse(operation.Registers), linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                report = new WriteReport(WriteDelivery.NoAnswer);
            }
        }
        // The outcome is recorded even while the node stops: the device has been written to, or not, either way.
        await FinishAsync(ledger, operation, report, CancellationToken.None);
        return true;
    }

    private async Task FinishAsync(OperationLedger ledger, RemoteOperation operation, WriteReport report, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var readBack = report.ReadBack is { } registers ? OperationCatalogue.Format(registers) : null;
        if (report.Outcome == WriteDelivery.Confirmed)
        {
            await ledger.MoveAsync(operation, o => o.State == OperationState.Sent,
                s => s.SetProperty(o => o.State, OperationState.Confirmed).SetProperty(o => o.CompletedAt, now).SetProperty(o => o.ReadBack, readBack),
                AuditActions.OperationConfirmed, AuditActor.System, cancellationToken, ("readBack", readBack));
            return;
        }
        var reason = Reason(report, operation.Registers);
        await ledger.MoveAsync(operation, o => o.State == OperationState.Sent,
            s => s.SetProperty(o => o.State, OperationState.Failed).SetProperty(o => o.CompletedAt, now)
                .SetProperty(o => o.ReadBack, readBack).SetProperty(o => o.Error, reason),
            AuditActions.OperationFailed, AuditActor.System, cancellationToken,
            ("reason", reason), ("exception", report.Exception == ModbusException.None ? null : (int)report.Exception));
        LogOperationFailed(logger, operation.Id, reason);
    }

    private string Reason(WriteReport report, string written) => report.Outcome switch
    {
        WriteDelivery.Refused => $"The inverter refused the write: Modbus exception {(int)report.Exception} ({ModbusExceptions.Describe(report.Exception)}).",
        WriteDelivery.NoAnswer => $"No answer from the inverter in time (timeout after at most {Seconds(Options.OperationTimeout)}): the setting may or may not have changed.",
        WriteDelivery.ReadBackFailed => "The inverter echoed the write, but reading the setting back got no answer: its value is unknown.",
        WriteDelivery.ReadBackDiffers => $"The inverter echoed the write, but reading back gave {OperationCatalogue.Format(report.ReadBack!)} instead of {written}.",
        WriteDelivery.OtherInverter => "The logger speaks for another inverter now: nothing was written.",
        WriteDelivery.NotConnected => "The logger left this node just before sending: nothing was written.",
        _ => "The logger disconnected before the inverter answered: the setting may or may not have changed.",
    };

    /// <summary>
    /// Fails what has waited too long: pending operations whose logger nobody has heard for <see cref="RemoteControlOptions.OfflineAfter"/>
    /// ("logger offline") or that were not delivered within <see cref="RemoteControlOptions.DeliveryWindow"/> although
    /// their logger is heard, operations sent by a node that stopped before recording the answer, and dangerous
    /// operations nobody decided on within <see cref="RemoteControlOptions.ApprovalWindow"/>. A pending operation whose
    /// logger this node holds is left for this node's delivery, however long its turn took.
    /// </summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<OperationLedger>();
        var now = time.GetUtcNow();
        var queuedBefore = now - Options.OfflineAfter;
        var sentBefore = now - (2 * Options.OperationTimeout) - TimeSpan.FromMinutes(1);
        var requestedBefore = now - Options.ApprovalWindow;
        var overdue = await db.Set<RemoteOperation>().AsNoTracking()
            .Where(o => (o.State == OperationState.Pending && o.QueuedAt <= queuedBefore)
                || (o.State == OperationState.Sent && o.SentAt <= sentBefore)
                || (o.State == OperationState.AwaitingApproval && o.RequestedAt <= requestedBefore))
            .OrderBy(o => o.RequestedAt).Take(Batch).ToListAsync(cancellationToken);
        foreach (var operation in overdue)
        {
            var state = operation.State;
            var reason = state switch
            {
                OperationState.Pending => await PendingReasonAsync(db, operation, queuedBefore, now, cancellationToken),
                OperationState.Sent => "No outcome recorded: the node sending it stopped; the setting may or may not have changed.",
                _ => $"Nobody approved or rejected it within {Minutes(Options.ApprovalWindow)}; nothing was sent.",
            };
            if (reason is null)
            {
                continue;
            }
            var failedAt = time.GetUtcNow();
            if (await ledger.MoveAsync(operation, o => o.State == state,
                s => s.SetProperty(o => o.State, OperationState.Failed).SetProperty(o => o.CompletedAt, failedAt).SetProperty(o => o.Error, reason),
                AuditActions.OperationFailed, AuditActor.System, cancellationToken, ("reason", reason)))
            {
                LogOperationFailed(logger, operation.Id, reason);
            }
        }
    }

    /// <summary>Why a pending operation that waited <see cref="RemoteControlOptions.OfflineAfter"/> fails; null while it may still go out.</summary>
    private async Task<string?> PendingReasonAsync(HelioDbContext db, RemoteOperation operation, DateTimeOffset queuedBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loggerSerial = await db.TelemetryDevices.Where(d => d.Serial == operation.DeviceSerial).Select(d => d.LoggerSerial).FirstOrDefaultAsync(cancellationToken);
        if (loggerSerial is not null && writes.Holds(loggerSerial, operation.DeviceSerial))
        {
            return null;
        }
        // Heard on any node: the gateway's presence table.
        var heard = loggerSerial is not null && await db.LoggerPresence.AnyAsync(p => p.LoggerSerial == loggerSerial && p.LastSeenAt > queuedBefore, cancellationToken);
        if (!heard)
        {
            return $"Logger offline: not heard for more than {Minutes(Options.OfflineAfter)}; nothing was sent.";
        }
        return operation.QueuedAt <= now - Options.DeliveryWindow
            ? $"Not delivered within {Minutes(Options.DeliveryWindow)} although its logger is heard (its inverter has not identified itself to the gateway); nothing was sent."
            : null;
    }

    private static string Minutes(TimeSpan span) => span >= TimeSpan.FromMinutes(1)
        ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " minutes"
        : Seconds(span);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " seconds";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering remote operations failed; trying again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remote operation {OperationId} failed: {Reason}")]
    private static partial void LogOperationFailed(ILogger logger, Guid operationId, string reason);
}
