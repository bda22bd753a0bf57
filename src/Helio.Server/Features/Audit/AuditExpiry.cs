using System.Text.Json;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>
/// Removes the oldest entries of the trail once they are past retention, keeping the rest verifiable (ADR 0024). Each
/// batch is one transaction: the removal is first appended to the chain as <c>audit.expired</c> (so the trail never
/// empties and appends go on from its head), then the oldest entries up to the last one older than the cutoff are
/// deleted, and a signed <see cref="AuditCheckpoint"/> records the last removed entry's Seq and hash, which the first
/// kept entry links to. Only a prefix of the trail is ever removed, so what stays is one unbroken chain.
/// </summary>
public sealed class AuditExpiry(HelioDbContext db, AuditTrail audit, AuditCheckpointSigner signer, TimeProvider clock)
{
    /// <summary>Removes entries older than <paramref name="cutoff"/>, at most <paramref name="batchSize"/> per
    /// transaction and <paramref name="maxBatches"/> batches; returns how many were removed.</summary>
    public async Task<long> ExpireAsync(DateTimeOffset cutoff, int batchSize, int maxBatches, CancellationToken cancellationToken)
    {
        long removed = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Entries are appended in time order, so the expired ones are a prefix: the first batch of the oldest.
            var oldest = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Seq).Select(e => new { e.Seq, e.At }).FirstOrDefaultAsync(cancellationToken);
            if (oldest is null || oldest.At >= cutoff)
            {
                return removed;
            }
            var candidates = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Seq).Take(batchSize)
                .Select(e => new { e.Seq, e.At, e.Hash }).ToListAsync(cancellationToken);
            var expired = candidates.TakeWhile(e => e.At < cutoff).ToList();
            var last = expired[^1];
            // The removal is recorded before it happens, under the chain's lock, and is newer than the cutoff: the head survives.
            await audit.RecordAsync(new AuditRecord(AuditActions.AuditExpired, AuditActor.System, Target: last.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Detail: JsonSerializer.Serialize(new { from = expired[0].Seq, through = last.Seq, count = expired.Count })), cancellationToken);
            var deleted = await db.AuditEntries.Where(e => e.Seq <= last.Seq).ExecuteDeleteAsync(cancellationToken);
            db.Add(new AuditCheckpoint
            {
                Seq = last.Seq, Hash = last.Hash, Removed = deleted, CreatedAt = clock.GetUtcNow(), Signature = signer.Sign(last.Seq, last.Hash),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            removed += deleted;
        }
        return removed;
    }
}
