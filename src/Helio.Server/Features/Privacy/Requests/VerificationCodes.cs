using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Features.Privacy.Requests;

/// <summary>
/// The one-time code that proves the requester reads the account's confirmed mailbox (the policy's identity check):
/// 8 random digits, valid for <see cref="Lifetime"/>, <see cref="MaxAttempts"/> wrong answers kill it, and a right one
/// is used up. Stored as SHA-256 over the request's id and the code, so the database never holds a code that works,
/// and a code is worth nothing on another request.
/// </summary>
public static class VerificationCodes
{
    public const int Digits = 8;
    public const int MaxAttempts = 3;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public static string New() =>
        RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    public static byte[] Hash(Guid requestId, string code) =>
        SHA256.HashData([.. requestId.ToByteArray(), .. Encoding.ASCII.GetBytes(code)]);

    /// <summary>Spaces and dashes a mail client or a person adds are ignored; anything but 8 digits never matches.</summary>
    public static bool Matches(Guid requestId, string? typed, byte[] hash)
    {
        var code = new string((typed ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Hash(requestId, code), hash);
    }
}
