using System.Linq.Expressions;
using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace Helio.Server.Features.RemoteControl;

/// <summary>
/// The one writer of operations' states. Every step is a conditional update (it happens only from the state it
/// expects, so two nodes or two people racing cannot both make it) recorded in the audit trail in the same
/// transaction, and every transaction holds its device's lock, so per-device rules (one in flight, the hourly limit)
/// hold across nodes: PostgreSQL takes a transaction-scoped advisory lock per device, SQLite's IMMEDIATE transactions
/// serialise all writers anyway.
/// </summary>
internal sealed class OperationLedger(HelioDbContext db, AuditTrail audit)
{
    /// <summary>Sets this lock's keys apart from other advisory locks ("HelioOps" in the top half).</summary>
    private const long LockSpace = 0x48656c696f4f7073;

    public DbSet<RemoteOperation> Operations => db.Set<RemoteOperation>();

    /// <summary>A transaction holding <paramref name="deviceId"/>'s lock until it ends.</summary>
    public async Task<IDbContextTransaction> BeginAsync(Guid deviceId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            var key = LockSpace ^ BitConverter.ToInt64(deviceId.ToByteArray(), 8);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
        return transaction;
    }

    /// <summary>A new operation and its "requested" entry, together.</summary>
    public async Task AddAsync(RemoteOperation operation, Guid requester, CancellationToken cancellationToken)
    {
        Operations.Add(operation);
        // The trail saves the context's pending changes with its entry.
        await audit.RecordAsync(Record(operation, AuditActions.OperationRequested, AuditActor.User(requester)), cancellationToken);
    }

    /// <summary>
    /// Moves <paramref name="operation"/> on when it still satisfies <paramref name="when"/> (its expected state, at
    /// least), records <paramref name="action"/>, and commits. False when it had moved on already: nothing happened.
    /// </summary>
    public async Task<bool> MoveAsync(RemoteOperation operation, Expression<Func<RemoteOperation, bool>> when, Action<UpdateSettersBuilder<RemoteOperation>> set,
        string action, AuditActor actor, CancellationToken cancellationToken, params (string Key, object? Value)[] detail)
    {
        await using var transaction = await BeginAsync(operation.DeviceId, cancellationToken);
        var moved = await Operations.Where(o => o.Id == operation.Id).Where(when).ExecuteUpdateAsync(set, cancellationToken);
        if (moved == 0)
        {
            return false;
        }
        await audit.RecordAsync(Record(operation, action, actor, detail), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The trail's entry: the plant and the serial say what was operated; the detail has ids and values, no person.</summary>
    private static AuditRecord Record(RemoteOperation operation, string action, AuditActor actor, params (string Key, object? Value)[] detail)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["operation"] = operation.Id,
            ["setting"] = operation.Setting,
            ["value"] = operation.Value,
        };
        foreach (var (key, value) in detail)
        {
            fields[key] = value;
        }
        return new AuditRecord(action, actor, PlantId: operation.PlantId, Target: operation.DeviceSerial, Detail: JsonSerializer.Serialize(fields));
    }
}
