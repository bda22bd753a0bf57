using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// Field-level envelope encryption of personal data: AES-256-GCM under the owner's data key, which is
/// stored wrapped by a key-encryption key. A ciphertext is
/// <c>version(1) | data key id(16) | nonce(12) | tag(16) | ciphertext</c>, and its associated data binds
/// it to one field ("table.column") of one user, so a ciphertext copied into another row or column fails to decrypt.
/// </summary>
public sealed class PersonalDataProtector(HelioDbContext db, KeyRing keys, DataKeyCache cache, TimeProvider time)
{
    private const byte Version = 1;
    private const int KeyIdBytes = 16, NonceBytes = 12, TagBytes = 16;
    private const int HeaderBytes = 1 + KeyIdBytes + NonceBytes + TagBytes;

    /// <summary>Makes a new data key for a new user; the caller adds the returned row in the same transaction.</summary>
    public UserDataKey CreateDataKey(Guid userId)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var keyId = Guid.NewGuid();
        cache.Set(userId, new DataKey(keyId, key));
        return new UserDataKey
        {
            Id = keyId,
            UserId = userId,
            KekId = keys.CurrentKeyId,
            WrappedKey = Wrap(keys.CurrentKek, key, keyId, userId),
            CreatedAt = time.GetUtcNow(),
        };
    }

    public async ValueTask<byte[]> EncryptAsync(Guid userId, string field, string plaintext, CancellationToken cancellationToken = default)
    {
        var key = await GetKeyAsync(userId, cancellationToken);
        var input = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[HeaderBytes + input.Length];
        output[0] = Version;
        key.Id.TryWriteBytes(output.AsSpan(1, KeyIdBytes));
        var nonce = output.AsSpan(1 + KeyIdBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, input, output.AsSpan(HeaderBytes), output.AsSpan(1 + KeyIdBytes + NonceBytes, TagBytes), AssociatedData(field, userId));
        return output;
    }

    public async ValueTask<string?> DecryptOrNullAsync(Guid userId, string field, byte[]? ciphertext, CancellationToken cancellationToken = default) =>
        ciphertext is null ? null : await DecryptAsync(userId, field, ciphertext, cancellationToken);

    public async ValueTask<string> DecryptAsync(Guid userId, string field, byte[] ciphertext, CancellationToken cancellationToken = default)
    {
        if (ciphertext.Length < HeaderBytes || ciphertext[0] != Version)
        {
            throw new CryptographicException("Unknown ciphertext format.");
        }
        var key = await GetKeyAsync(userId, cancellationToken);
        if (new Guid(ciphertext.AsSpan(1, KeyIdBytes)) != key.Id)
        {
            throw new CryptographicException("The ciphertext was made under a data key this user no longer has.");
        }
        var plaintext = new byte[ciphertext.Length - HeaderBytes];
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Decrypt(
            ciphertext.AsSpan(1 + KeyIdBytes, NonceBytes),
            ciphertext.AsSpan(HeaderBytes),
            ciphertext.AsSpan(1 + KeyIdBytes + NonceBytes, TagBytes),
            plaintext,
            AssociatedData(field, userId));
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>
    /// Deletes the user's data key: every ciphertext made under it becomes unreadable. Every KEK this deployment holds
    /// could unwrap the key from a backup taken before now, so each is marked for retirement, in the caller's
    /// transaction; <see cref="KeyRotation"/> destroys them soon after (ADR 0027).
    /// </summary>
    public async Task ShredAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        if (await db.UserDataKeys.Where(k => k.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            // Inserted directly, not through SaveChanges, which would also write whatever the caller still tracks.
            var sqlite = db.Database.IsSqlite();
            var now = time.GetUtcNow();
            foreach (var kekId in keys.KekIds)
            {
                var id = Guid.NewGuid();
                // The same representation EF uses: SQLite holds a Guid as upper-case text and an instant as UTC ticks.
                object idValue = sqlite ? id.ToString().ToUpperInvariant() : id;
                object dueValue = sqlite ? now.UtcTicks : now;
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO kek_retirements (\"Id\", \"KekId\", \"DueSince\") VALUES ({idValue}, {kekId}, {dueValue})", cancellationToken);
            }
        }
        cache.Remove(userId);
    }

    /// <summary>Re-wraps every data key under the current KEK. Returns how many were re-wrapped.</summary>
    internal async Task<int> RewrapAllAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var batch = await db.UserDataKeys.Where(k => k.KekId != keys.CurrentKeyId).OrderBy(k => k.Id).Take(500).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return count;
            }
            foreach (var row in batch)
            {
                var key = Unwrap(row);
                row.WrappedKey = Wrap(keys.CurrentKek, key, row.Id, row.UserId);
                row.KekId = keys.CurrentKeyId;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A key of the batch was shredded meanwhile (an erasure); the next round reads the batch again.
                db.ChangeTracker.Clear();
                continue;
            }
            db.ChangeTracker.Clear();
            count += batch.Count;
        }
    }

    private async ValueTask<DataKey> GetKeyAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(userId, out var cached))
        {
            return cached;
        }
        var row = await db.UserDataKeys.AsNoTracking().SingleOrDefaultAsync(k => k.UserId == userId, cancellationToken)
            ?? throw new CryptographicException("This user has no data key (erased).");
        var key = new DataKey(row.Id, Unwrap(row));
        cache.Set(userId, key);
        return key;
    }

    private byte[] Unwrap(UserDataKey row)
    {
        var wrapped = row.WrappedKey;
        var key = new byte[wrapped.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(keys.Kek(row.KekId), TagBytes);
        aes.Decrypt(wrapped.AsSpan(0, NonceBytes), wrapped.AsSpan(NonceBytes + TagBytes), wrapped.AsSpan(NonceBytes, TagBytes), key, WrapAssociatedData(row.Id, row.UserId));
        return key;
    }

    private static byte[] Wrap(byte[] kek, byte[] key, Guid keyId, Guid userId)
    {
        var output = new byte[NonceBytes + TagBytes + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(kek, TagBytes);
        aes.Encrypt(output.AsSpan(0, NonceBytes), key, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes), WrapAssociatedData(keyId, userId));
        return output;
    }

    private static byte[] WrapAssociatedData(Guid keyId, Guid userId) =>
        Encoding.UTF8.GetBytes($"helio:dek:v1:{keyId:N}:{userId:N}");

    private static byte[] AssociatedData(string field, Guid userId) =>
        Encoding.UTF8.GetBytes($"helio:v1:{field}:{userId:N}");
}

public sealed record DataKey(Guid Id, byte[] Key);

/// <summary>
/// Unwrapped data keys, kept briefly so that a page of decryptions costs one unwrap. Entries expire after a
/// minute, which bounds how long another node can still decrypt after an erasure.
/// </summary>
public sealed class DataKeyCache
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public bool TryGet(Guid userId, out DataKey key) => cache.TryGetValue(userId, out key!);

    public void Set(Guid userId, DataKey key) =>
        cache.Set(userId, key, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });

    public void Remove(Guid userId) => cache.Remove(userId);
}
