using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Features.Audit;

/// <summary>
/// The canonical encoding of an entry and its hash. Version 1: a version byte, then Seq and At (UTC ticks, whole
/// microseconds) as big-endian int64, the actor kind as one byte, ActorId, SubjectId and PlantId each as a presence
/// byte plus 16 big-endian (RFC 4122) bytes, Action, Target and Detail each as a presence byte plus a big-endian
/// uint16 length and UTF-8, and last PrevHash (32 bytes). Every field has a fixed place or a length, so no two
/// different entries encode alike. Changing this encoding needs a new version byte, never an edit.
/// </summary>
public static class AuditChain
{
    public const int HashLength = 32;
    public const int MaxDetailLength = 2000;
    private const byte Version = 1;

    /// <summary>The PrevHash of the first entry.</summary>
    public static readonly byte[] Genesis = new byte[HashLength];

    /// <summary>The database keeps microseconds (PostgreSQL) or ticks (SQLite); the hash covers what both keep.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    public static byte[] ComputeHash(AuditEntry entry)
    {
        var hash = new byte[HashLength];
        ComputeHash(entry.Seq, entry.At.UtcTicks, entry.ActorKind, entry.ActorId, entry.SubjectId, entry.PlantId,
            entry.Action, entry.Target, entry.Detail, entry.PrevHash, hash);
        return hash;
    }

    /// <summary>Allocation-free for the verifier, which hashes a million entries in a few seconds.</summary>
    public static void ComputeHash(long seq, long atTicks, AuditActorKind actorKind, Guid? actorId, Guid? subjectId, Guid? plantId,
        string action, string? target, string? detail, ReadOnlySpan<byte> prevHash, Span<byte> destination)
    {
        var length = 1 + 8 + 8 + 1 + 3 * 17 + Measure(action) + Measure(target) + Measure(detail) + HashLength;
        var rented = length <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var at = 0;
        buffer[at++] = Version;
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], seq);
        at += 8;
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], atTicks);
        at += 8;
        buffer[at++] = (byte)actorKind;
        at += Write(buffer[at..], actorId);
        at += Write(buffer[at..], subjectId);
        at += Write(buffer[at..], plantId);
        at += Write(buffer[at..], action);
        at += Write(buffer[at..], target);
        at += Write(buffer[at..], detail);
        prevHash.CopyTo(buffer[at..]);
        SHA256.HashData(buffer, destination);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Measure(string? text) => text is null ? 1 : 3 + Encoding.UTF8.GetByteCount(text);

    private static int Write(Span<byte> buffer, Guid? id)
    {
        if (id is not { } value)
        {
            buffer[0] = 0;
            buffer[1..17].Clear();
            return 17;
        }
        buffer[0] = 1;
        value.TryWriteBytes(buffer[1..], bigEndian: true, out _);
        return 17;
    }

    private static int Write(Span<byte> buffer, string? text)
    {
        if (text is null)
        {
            buffer[0] = 0;
            return 1;
        }
        buffer[0] = 1;
        var written = Encoding.UTF8.GetBytes(text, buffer[3..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], checked((ushort)written));
        return 3 + written;
    }
}
