using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Features.Accounts;

/// <summary>Ten single-use recovery codes, shown once and stored only as SHA-256 hashes.</summary>
internal static class RecoveryCodes
{
    public const int Count = 10;

    public static (string[] Codes, string Hashes) Generate()
    {
        var codes = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var raw = Totp.Base32(RandomNumberGenerator.GetBytes(7)).ToLowerInvariant();
            codes[i] = $"{raw[..5]}-{raw[5..10]}";
        }
        return (codes, string.Join(';', codes.Select(Hash)));
    }

    /// <summary>If <paramref name="code"/> is one of the unused codes, returns the remaining hashes.</summary>
    public static string? Redeem(string? hashes, string code)
    {
        if (string.IsNullOrEmpty(hashes))
        {
            return null;
        }
        var hash = Hash(code.Trim().ToLowerInvariant());
        var remaining = hashes.Split(';').ToList();
        var index = remaining.FindIndex(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(hash)));
        if (index < 0)
        {
            return null;
        }
        remaining.RemoveAt(index);
        return string.Join(';', remaining);
    }

    public static int Remaining(string? hashes) => string.IsNullOrEmpty(hashes) ? 0 : hashes.Split(';').Length;

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
