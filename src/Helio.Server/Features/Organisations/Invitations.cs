using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// What invitations by e-mail have in common, for staff (here) and for plant shares (Sharing): a random token for the
/// link, stored only as its hash; and the rule that only the account of the invited address may accept, with that
/// address confirmed. A forwarded or leaked link is therefore useless to anyone else.
/// </summary>
public static class Invitations
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    /// <summary>The link's token is 32 random bytes in base64url (43 characters).</summary>
    public const int MaxTokenLength = 64;

    public static (string Token, byte[] Hash) NewToken()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether the user's confirmed address is the one the invitation went to.</summary>
    public static Task<bool> IsAddressedToAsync(HelioDbContext db, Guid userId, byte[] emailIndex, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.Id == userId && u.EmailConfirmed && u.EmailIndex == emailIndex, cancellationToken);

    /// <summary>An address kept under someone's key; null when that key was erased (and the address with it).</summary>
    public static async Task<string?> TryDecryptAsync(PersonalDataProtector protector, Guid keyOwner, string field, byte[]? cipher, CancellationToken cancellationToken)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return await protector.DecryptAsync(keyOwner, field, cipher, cancellationToken);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The part of an invitation mail that says how to accept it, the same for every kind of invitation.</summary>
    public static string HowToAccept(string link, DateTimeOffset expiresAt, string ifUnwanted) =>
        $"To accept, sign in to Helio with this e-mail address (or register with it first and confirm it), then open:\n{link}\n\n" +
        $"The link works until {expiresAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} and only for the account with this address. {ifUnwanted}";

    public const string InvalidLink = "This invitation link is not valid any more: it was used, withdrawn or has expired. Ask for a new one.";

    public const string OtherAddress = "This invitation was sent to another address. Sign in with the account of that address (confirmed) to accept it.";
}
