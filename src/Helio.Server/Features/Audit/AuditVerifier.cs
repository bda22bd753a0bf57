using System.Data.Common;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Audit;

/// <summary>Why an entry breaks the chain. The names are part of the admin API and the command's output.</summary>
public enum AuditBreak
{
    /// <summary>The entry's hash does not match its stored fields: it was changed after it was written.</summary>
    Edited,
    /// <summary>The entry is intact but does not follow the one before it: an entry was inserted or removed before it
    /// (or the one before it was replaced by another with a valid hash).</summary>
    InsertedOrRemovedBefore,
    /// <summary>The entry's hash matches its fields under a neighbouring sequence number: it was renumbered, as when
    /// an entry before it was inserted or removed, or two entries were swapped.</summary>
    Renumbered,
    /// <summary>Sequence numbers skip: the entries between were removed.</summary>
    SequenceGap,
    /// <summary>The entry at the sequence number given to <see cref="AuditVerifier.VerifyAsync"/> as an anchor is missing
    /// or has another hash: the trail was cut back or rewritten since the anchor was taken.</summary>
    AnchorMismatch,
    /// <summary>The checkpoint the trail starts from after retention is not signed by this deployment: it was forged or
    /// altered, perhaps to hide entries removed before it.</summary>
    CheckpointInvalid,
}

/// <summary>A hash known from outside the database: the head hash printed by an earlier <c>audit verify</c>.</summary>
public sealed record AuditAnchor(long Seq, byte[] Hash)
{
    /// <summary>Parses <c>SEQ:HEX</c>, as <c>audit verify</c> prints it.</summary>
    public static bool TryParse(string? text, out AuditAnchor? anchor)
    {
        anchor = null;
        var parts = text?.Split(':') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) || seq < 1)
        {
            return false;
        }
        try
        {
            var hash = Convert.FromHexString(parts[1]);
            if (hash.Length != AuditChain.HashLength)
            {
                return false;
            }
            anchor = new AuditAnchor(seq, hash);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>The result of a verification: intact (with the head) or the first broken entry. <paramref name="FromSeq"/> is
/// the checkpoint the check started after (0: from the first entry); older entries were removed for retention. When
/// intact, <paramref name="Explanation"/> may note an anchor that fell to retention and could not be checked.</summary>
public sealed record AuditVerification(bool Intact, long Count, long HeadSeq, string HeadHash, long? BrokenSeq, AuditBreak? Reason, string? Explanation, TimeSpan Took, long FromSeq = 0)
{
    /// <summary>The head as <c>SEQ:HEX</c>, to keep outside the database and pass back as an anchor.</summary>
    public string Head => $"{HeadSeq}:{HeadHash}";
}

/// <summary>
/// Checks the whole trail in one pass in Seq order: Seq counts up from 1 without gaps, each PrevHash is the hash of
/// the entry before, and each Hash is <see cref="AuditChain"/>'s hash of the stored fields. It reads with a plain
/// data reader in one statement (a consistent snapshot on both databases, so appends during the check do not
/// disturb it) and hashes into one buffer, so a million entries take a few seconds. It stops at the first broken
/// entry: everything after it can no longer be trusted to mean anything, and the first break is where to look.
/// After retention removed the oldest entries (<see cref="AuditExpiry"/>), the check starts from the newest signed
/// <see cref="AuditCheckpoint"/>: the entry after it must link to the hash it holds.
/// </summary>
public sealed class AuditVerifier(HelioDbContext db, AuditCheckpointSigner signer, TimeProvider clock)
{
    /// <summary>For the API and the admin page: the anchor as typed, validated.</summary>
    public async Task<Outcome<AuditVerification>> HandleAsync(string? anchorText, CancellationToken cancellationToken)
    {
        AuditAnchor? anchor = null;
        if (!string.IsNullOrWhiteSpace(anchorText) && !AuditAnchor.TryParse(anchorText.Trim(), out anchor))
        {
            return Refusal.Invalid("anchor", "SEQ:HASH, the head an earlier verification printed (64 hex digits after the colon).");
        }
        return await VerifyAsync(anchor, cancellationToken);
    }

    public async Task<AuditVerification> VerifyAsync(AuditAnchor? anchor, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var checkpoint = await db.Set<AuditCheckpoint>().AsNoTracking().OrderByDescending(c => c.Seq).FirstOrDefaultAsync(cancellationToken);
        if (checkpoint is not null && !signer.IsValid(checkpoint))
        {
            return new AuditVerification(false, 0, checkpoint.Seq, Convert.ToHexStringLower(checkpoint.Hash), checkpoint.Seq, AuditBreak.CheckpointInvalid,
                $"The checkpoint at entry {checkpoint.Seq} is not signed by this deployment: it was forged or altered, perhaps to hide removed entries.",
                clock.GetElapsedTime(started), checkpoint.Seq);
        }
        var fromSeq = checkpoint?.Seq ?? 0;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT "Seq", "At", "ActorKind", "ActorId", "SubjectId", "PlantId", "Action", "Target", "Detail", "PrevHash", "Hash"
                FROM audit_entries WHERE "Seq" > @from ORDER BY "Seq"
                """;
            var from = command.CreateParameter();
            from.ParameterName = "@from";
            from.Value = fromSeq;
            command.Parameters.Add(from);
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            var ticksColumn = reader.GetFieldType(1) == typeof(long);
            var previous = checkpoint?.Hash.ToArray() ?? new byte[AuditChain.HashLength];
            var computed = new byte[AuditChain.HashLength];
            long count = 0, previousSeq = fromSeq;
            var anchorSeen = false;
            string? note = null;
            if (anchor is not null && checkpoint is not null && anchor.Seq <= checkpoint.Seq)
            {
                // The anchored entry fell to retention. At the checkpoint itself its hash is still known; before it, nothing is.
                if (anchor.Seq == checkpoint.Seq && !anchor.Hash.AsSpan().SequenceEqual(checkpoint.Hash))
                {
                    return new AuditVerification(false, 0, fromSeq, Convert.ToHexStringLower(previous), anchor.Seq, AuditBreak.AnchorMismatch,
                        $"Entry {anchor.Seq} is not the one the anchor recorded: the checkpoint holds another hash.", clock.GetElapsedTime(started), fromSeq);
                }
                anchorSeen = true;
                note = anchor.Seq == checkpoint.Seq
                    ? null
                    : $"The anchor's entry {anchor.Seq} was removed for retention; the trail was checked from the checkpoint at entry {checkpoint.Seq}.";
            }
            AuditVerification Broken(long seq, AuditBreak reason, string explanation) =>
                new(false, count, previousSeq, Convert.ToHexStringLower(previous), seq, reason, explanation, clock.GetElapsedTime(started), fromSeq);

            while (await reader.ReadAsync(cancellationToken))
            {
                // SequentialAccess: columns are read in order, once each.
                var seq = reader.GetInt64(0);
                var at = ticksColumn ? reader.GetInt64(1) : reader.GetFieldValue<DateTimeOffset>(1).UtcTicks;
                var actorKind = (AuditActorKind)reader.GetInt32(2);
                var actorId = GuidOrNull(reader, 3);
                var subjectId = GuidOrNull(reader, 4);
                var plantId = GuidOrNull(reader, 5);
                var action = reader.GetString(6);
                var target = reader.IsDBNull(7) ? null : reader.GetString(7);
                var detail = reader.IsDBNull(8) ? null : reader.GetString(8);
                var storedPrevious = reader.GetFieldValue<byte[]>(9);
                var stored = reader.GetFieldValue<byte[]>(10);

                if (seq != previousSeq + 1)
                {
                    return Broken(seq, AuditBreak.SequenceGap, seq == previousSeq + 2
                        ? $"Entry {previousSeq + 1} is missing: it was removed."
                        : $"Entries {previousSeq + 1} to {seq - 1} are missing: they were removed.");
                }
                // A damaged PrevHash of another length is hashed as stored, so it fails the comparisons below.
                var linked = storedPrevious.AsSpan().SequenceEqual(previous);
                AuditChain.ComputeHash(seq, at, actorKind, actorId, subjectId, plantId, action, target, detail, storedPrevious, computed);
                var sound = computed.AsSpan().SequenceEqual(stored);
                if (!sound)
                {
                    // Written under another number? Then the entry itself is unchanged but was moved.
                    foreach (var other in (ReadOnlySpan<long>)[seq - 1, seq + 1])
                    {
                        AuditChain.ComputeHash(other, at, actorKind, actorId, subjectId, plantId, action, target, detail, storedPrevious, computed);
                        if (computed.AsSpan().SequenceEqual(stored))
                        {
                            return Broken(seq, AuditBreak.Renumbered, other < seq
                                ? $"Entry {seq} was written as entry {other}: an entry was inserted before it, or it was swapped with its neighbour."
                                : $"Entry {seq} was written as entry {other}: an entry before it was removed, or it was swapped with its neighbour.");
                        }
                    }
                    return Broken(seq, AuditBreak.Edited, linked
                        ? $"Entry {seq} was edited: its hash does not match its content."
                        : $"Entry {seq} was edited or replaced: its hash does not match its content, nor does it follow entry {previousSeq}.");
                }
                if (!linked)
                {
                    return Broken(seq, AuditBreak.InsertedOrRemovedBefore, previousSeq == 0
                        ? $"Entry {seq} does not start the chain: entries before it were removed."
                        : previousSeq == fromSeq
                        ? $"Entry {seq} does not follow the checkpoint at entry {fromSeq}: entries after the checkpoint were replaced."
                        : $"Entry {seq} does not follow entry {previousSeq}: an entry was inserted or removed before it, or entry {previousSeq} was replaced.");
                }
                if (anchor is not null && seq == anchor.Seq)
                {
                    if (!stored.AsSpan().SequenceEqual(anchor.Hash))
                    {
                        return Broken(seq, AuditBreak.AnchorMismatch, $"Entry {seq} is not the one the anchor recorded: the trail was rewritten up to here.");
                    }
                    anchorSeen = true;
                }
                stored.CopyTo(previous, 0);
                previousSeq = seq;
                count++;
            }
            if (anchor is not null && !anchorSeen)
            {
                return Broken(anchor.Seq, AuditBreak.AnchorMismatch, $"Entry {anchor.Seq} of the anchor is missing: the newest entries were removed (the trail ends at {previousSeq}).");
            }
            return new AuditVerification(true, count, previousSeq, Convert.ToHexStringLower(previous), null, null, note, clock.GetElapsedTime(started), fromSeq);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static Guid? GuidOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetGuid(ordinal);
}
