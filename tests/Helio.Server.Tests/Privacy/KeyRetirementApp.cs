using System.Security.Cryptography;
using System.Text;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Lifecycle;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Privacy;

/// <summary>
/// The privacy app whose key rotation runs only when a test says so (<see cref="RotateAsync"/>): the job's own timer
/// waits a day, so it never races a test's run. <see cref="Configured"/> gives the keys in configuration, as a fleet does.
/// </summary>
public abstract class KeyRetirementApp(Provider provider, bool configured) : PrivacyClockApp(provider)
{
    public bool Configured { get; } = configured;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        base.ConfigureMore(builder);
        builder.UseSetting("Encryption:RotationCheckEvery", "1.00:00:00");
        if (Configured)
        {
            builder.UseSetting("Encryption:KeyEncryptionKeys:fleet1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            builder.UseSetting("Encryption:CurrentKeyId", "fleet1");
            builder.UseSetting("Encryption:BlindIndexKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
    }

    public async Task<KeyRotationRun?> RotateAsync() =>
        await Services.GetRequiredService<KeyRotation>().RunOnceAsync(TestContext.Current.CancellationToken);

    public async Task EraseAsync(Guid userId)
    {
        await using var scope = Scope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<AccountErasure>().EraseAsync(userId, AuditActor.System, "test", TestContext.Current.CancellationToken));
    }

    /// <summary>What a dump of the database holds of one person: their wrapped data key and their e-mail's ciphertext.</summary>
    public async Task<DumpedPerson> DumpAsync(Guid userId)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<HelioDbContext>();
        var key = await db.UserDataKeys.AsNoTracking().SingleAsync(k => k.UserId == userId, TestContext.Current.CancellationToken);
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.EmailCipher).SingleAsync(TestContext.Current.CancellationToken);
        return new DumpedPerson(userId, key.Id, key.WrappedKey, email);
    }

    /// <summary>The key-encryption keys an attacker who took the data directory now would have.</summary>
    public List<byte[]> KeyFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(DataDirectory, "keys"), "kek-*.key").Select(f => Convert.FromBase64String(File.ReadAllText(f).Trim()))];

    public string CurrentKekFile() => Path.Combine(DataDirectory, "keys", $"kek-{File.ReadAllText(Path.Combine(DataDirectory, "keys", "current")).Trim()}.key");
}

public sealed class SqliteKeyRetirementApp() : KeyRetirementApp(Provider.Sqlite, configured: false);

public sealed class PostgresKeyRetirementApp() : KeyRetirementApp(Provider.Postgres, configured: false);

public sealed class SqliteConfiguredKeysApp() : KeyRetirementApp(Provider.Sqlite, configured: true);

public sealed class PostgresConfiguredKeysApp() : KeyRetirementApp(Provider.Postgres, configured: true);

public sealed record DumpedPerson(Guid UserId, Guid KeyId, byte[] WrappedKey, byte[] EmailCipher);

/// <summary>
/// Decryption as someone holding a copy of the database and some key files would do it, written from the formats in
/// ADR 0002 rather than through Helio's code: a wrapped key is <c>nonce(12) | tag(16) | key</c> under a KEK; a field is
/// <c>version(1) | key id(16) | nonce(12) | tag(16) | ciphertext</c> under the data key.
/// </summary>
public static class OfflineDecryption
{
    /// <summary>The data key, if any of <paramref name="keks"/> unwraps it; null otherwise.</summary>
    public static byte[]? TryUnwrap(DumpedPerson person, IEnumerable<byte[]> keks)
    {
        foreach (var kek in keks)
        {
            var key = new byte[person.WrappedKey.Length - 28];
            try
            {
                using var aes = new AesGcm(kek, 16);
                aes.Decrypt(person.WrappedKey.AsSpan(0, 12), person.WrappedKey.AsSpan(28), person.WrappedKey.AsSpan(12, 16), key,
                    Encoding.UTF8.GetBytes($"helio:dek:v1:{person.KeyId:N}:{person.UserId:N}"));
                return key;
            }
            catch (AuthenticationTagMismatchException)
            {
            }
        }
        return null;
    }

    public static string DecryptEmail(DumpedPerson person, byte[] dataKey)
    {
        var cipher = person.EmailCipher;
        var plaintext = new byte[cipher.Length - 45];
        using var aes = new AesGcm(dataKey, 16);
        aes.Decrypt(cipher.AsSpan(17, 12), cipher.AsSpan(45), cipher.AsSpan(29, 16), plaintext, Encoding.UTF8.GetBytes($"helio:v1:{UserStore.EmailField}:{person.UserId:N}"));
        return Encoding.UTF8.GetString(plaintext);
    }
}
