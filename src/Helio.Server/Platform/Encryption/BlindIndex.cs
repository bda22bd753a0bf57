using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// Keyed, deterministic fingerprints of normalised e-mails and phone numbers, so that sign-in and uniqueness
/// checks can find a user without the database ever holding the value. Distinct prefixes keep the two
/// kinds from colliding.
/// </summary>
public sealed class BlindIndex(KeyRing keys)
{
    public byte[] Email(string normalisedEmail) => Compute("email:", normalisedEmail);

    public byte[] Phone(string e164) => Compute("phone:", e164);

    private byte[] Compute(string kind, string value) =>
        HMACSHA256.HashData(keys.BlindIndexKey, Encoding.UTF8.GetBytes(kind + value));
}
