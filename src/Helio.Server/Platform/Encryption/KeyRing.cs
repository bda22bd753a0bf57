using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// The root keys of this deployment: key-encryption keys (KEKs) that wrap every user's data key, and the
/// blind-index key. They come from configuration, or else from &lt;data dir&gt;/keys/, created on first run.
/// The data directory layout is: keys/kek-&lt;id&gt;.key, keys/current (the id), keys/blind-index.key.
/// </summary>
public sealed class KeyRing
{
    private const int KeyBytes = 32;
    private FrozenDictionary<string, byte[]> keks;

    public KeyRing(IOptions<EncryptionOptions> encryption, IOptions<HelioOptions> helio, TimeProvider time)
    {
        var options = encryption.Value;
        KeysDirectory = helio.Value.DataPath("keys");
        Time = time;
        FromConfiguration = options.KeyEncryptionKeys.Count > 0;
        if (FromConfiguration)
        {
            keks = options.KeyEncryptionKeys.ToFrozenDictionary(kv => kv.Key, kv => Decode(kv.Value, $"Encryption:KeyEncryptionKeys:{kv.Key}"), StringComparer.Ordinal);
            CurrentKeyId = options.CurrentKeyId ?? throw new InvalidOperationException("Encryption:CurrentKeyId must name one of Encryption:KeyEncryptionKeys.");
            if (!keks.ContainsKey(CurrentKeyId))
            {
                throw new InvalidOperationException("Encryption:CurrentKeyId must name one of Encryption:KeyEncryptionKeys.");
            }
        }
        else
        {
            EnsureKeysDirectory();
            keks = LoadKekFiles();
            if (keks.Count == 0)
            {
                AddKekFile();
            }
            CurrentKeyId = File.ReadAllText(Path.Combine(KeysDirectory, "current")).Trim();
        }
        BlindIndexKey = options.BlindIndexKey is { } configured
            ? Decode(configured, "Encryption:BlindIndexKey")
            : ReadOrCreateKeyFile(Path.Combine(KeysDirectory, "blind-index.key"));
    }

    public string KeysDirectory { get; }
    public bool FromConfiguration { get; }
    public string CurrentKeyId { get; private set; }
    internal byte[] BlindIndexKey { get; }
    private TimeProvider Time { get; }

    internal byte[] Kek(string id) =>
        keks.TryGetValue(id, out var key) ? key : throw new CryptographicException($"Key-encryption key '{id}' is not configured.");

    internal byte[] CurrentKek => keks[CurrentKeyId];

    /// <summary>Every KEK this node can unwrap with, the current one included.</summary>
    internal IReadOnlyCollection<string> KekIds => keks.Keys;

    /// <summary>
    /// Deletes every KEK file but the current one (file-based key rings only): once every data key is wrapped by the
    /// current KEK, the others only serve copies of the database taken before, which is what must end (ADR 0027).
    /// Returns the ids destroyed.
    /// </summary>
    internal IReadOnlyList<string> DestroyOtherKekFiles()
    {
        if (FromConfiguration)
        {
            throw new InvalidOperationException("Keys come from configuration: remove retired keys from Encryption:KeyEncryptionKeys.");
        }
        var destroyed = new List<string>();
        foreach (var id in keks.Keys.Where(id => id != CurrentKeyId))
        {
            File.Delete(Path.Combine(KeysDirectory, $"kek-{id}.key"));
            destroyed.Add(id);
        }
        keks = LoadKekFiles();
        return destroyed;
    }

    /// <summary>Creates a new KEK file and makes it current (file-based key rings only).</summary>
    internal string AddKekFile()
    {
        if (FromConfiguration)
        {
            throw new InvalidOperationException("Keys come from configuration: add the new key to Encryption:KeyEncryptionKeys and set Encryption:CurrentKeyId.");
        }
        EnsureKeysDirectory();
        var id = "k" + Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        // Two rotations in one second must not overwrite the key the first one made current.
        for (var n = 2; File.Exists(Path.Combine(KeysDirectory, $"kek-{id}.key")); n++)
        {
            id = $"{id.Split('-')[0]}-{n}";
        }
        WriteSecretFile(Path.Combine(KeysDirectory, $"kek-{id}.key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
        WriteSecretFile(Path.Combine(KeysDirectory, "current"), id);
        keks = LoadKekFiles();
        CurrentKeyId = id;
        return id;
    }

    private FrozenDictionary<string, byte[]> LoadKekFiles() =>
        Directory.EnumerateFiles(KeysDirectory, "kek-*.key").ToFrozenDictionary(
            f => Path.GetFileNameWithoutExtension(f)["kek-".Length..],
            f => Decode(File.ReadAllText(f).Trim(), f),
            StringComparer.Ordinal);

    private void EnsureKeysDirectory()
    {
        Directory.CreateDirectory(KeysDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static byte[] ReadOrCreateKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            WriteSecretFile(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
        }
        return Decode(File.ReadAllText(path).Trim(), path);
    }

    private static void WriteSecretFile(string path, string content)
    {
        // Create with owner-only permissions before any byte is written, then move into place.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] Decode(string base64, string name)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{name} is not base64.");
        }
        return key.Length == KeyBytes ? key : throw new InvalidOperationException($"{name} must be {KeyBytes} bytes.");
    }
}
