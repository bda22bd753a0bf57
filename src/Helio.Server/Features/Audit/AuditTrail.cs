using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>Who did something: a user (named in the trail by pseudonym), an API account, or Helio itself.</summary>
public readonly record struct AuditActor(AuditActorKind Kind, Guid? Id)
{
    public static AuditActor User(Guid userId) => new(AuditActorKind.User, userId);
    public static AuditActor ApiAccount(Guid accountId) => new(AuditActorKind.ApiAccount, accountId);
    public static AuditActor System { get; } = new(AuditActorKind.System, null);
    public static AuditActor Anonymous { get; } = new(AuditActorKind.Anonymous, null);
}

/// <summary>
/// What to record. <paramref name="SubjectUserId"/> is the person the entry is about; left null with a
/// <paramref name="PlantId"/>, it is the plant's owner. <paramref name="Detail"/> is JSON without personal data.
/// </summary>
public sealed record AuditRecord(string Action, AuditActor Actor, Guid? SubjectUserId = null, Guid? PlantId = null, string? Target = null, string? Detail = null);

/// <summary>
/// Appends to the audit trail. Appending is serialised across nodes (PostgreSQL: a transaction-scoped advisory lock;
/// SQLite: the write lock its IMMEDIATE transactions take), because each entry needs the hash and sequence number of
/// the one before. Inside a caller's transaction the entries commit or roll back with the action they record;
/// without one, they get a transaction of their own. Pending changes of the context are saved with them.
/// </summary>
public sealed class AuditTrail(HelioDbContext db, TimeProvider clock)
{
    /// <summary>An arbitrary constant: the chain lock's identity among the database's advisory locks.</summary>
    private const long ChainLock = 0x48656c696f417564; // "HelioAud"

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken) => RecordAsync([record], cancellationToken);

    public async Task RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            if (record.Detail is { Length: > AuditChain.MaxDetailLength })
            {
                throw new ArgumentException($"Audit detail is limited to {AuditChain.MaxDetailLength} characters.", nameof(records));
            }
        }
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLock})", cancellationToken);
            }
            var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Seq)
                .Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var seq = last?.Seq ?? 0;
            var previous = last?.Hash ?? AuditChain.Genesis;
            var at = AuditChain.Truncate(clock.GetUtcNow());
            foreach (var record in records)
            {
                var subjectUser = record.SubjectUserId ?? (record.PlantId is { } plantId
                    ? await db.Plants.Where(p => p.Id == plantId).Select(p => (Guid?)p.OwnerId).FirstOrDefaultAsync(cancellationToken)
                    : null);
                var entry = new AuditEntry
                {
                    Seq = ++seq,
                    At = at,
                    Action = record.Action,
                    ActorKind = record.Actor.Kind,
                    ActorId = record.Actor.Kind == AuditActorKind.User ? await PseudonymAsync(record.Actor.Id!.Value, cancellationToken) : record.Actor.Id,
                    SubjectId = subjectUser is { } subject ? await PseudonymAsync(subject, cancellationToken) : null,
                    PlantId = record.PlantId,
                    Target = record.Target,
                    Detail = record.Detail,
                    PrevHash = previous,
                    Hash = [],
                };
                entry.Hash = previous = AuditChain.ComputeHash(entry);
                db.AuditEntries.Add(entry);
            }
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>The pseudonym the trail knows a user by, made on first use (under the chain lock, so never twice).</summary>
    public async Task<Guid> PseudonymAsync(Guid userId, CancellationToken cancellationToken)
    {
        var local = db.AuditPseudonyms.Local.FirstOrDefault(p => p.UserId == userId);
        if (local is not null)
        {
            return local.Pseudonym;
        }
        var stored = await db.AuditPseudonyms.Where(p => p.UserId == userId).Select(p => (Guid?)p.Pseudonym).FirstOrDefaultAsync(cancellationToken);
        if (stored is { } pseudonym)
        {
            return pseudonym;
        }
        var made = new AuditPseudonym { UserId = userId, Pseudonym = Guid.NewGuid() };
        db.AuditPseudonyms.Add(made);
        return made.Pseudonym;
    }
}
