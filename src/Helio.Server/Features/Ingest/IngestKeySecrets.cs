using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Ingest keys are "hik_" and 32 random bytes in base64url. With 256 bits of entropy a plain SHA-256 is the right
/// hash: nothing to brute-force, and one indexed lookup per request instead of a slow password hash.
/// </summary>
internal static class IngestKeySecrets
{
    public const string Marker = "hik_";
    public const int MaxNameLength = 64;
    public const int PrefixLength = 10;
    private const int SecretBytes = 32;

    /// <summary>A new key and what is stored of it.</summary>
    public static (string Key, string Prefix, byte[] Hash) Create()
    {
        var key = Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (key, key[..PrefixLength], Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether the text could be a key at all, so that garbage costs no database lookup.</summary>
    public static bool LooksLikeKey(string? text) => text is { Length: > PrefixLength and < 100 } && text.StartsWith(Marker, StringComparison.Ordinal);
}
