using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// How webhook bodies are signed (docs/webhooks.md): <c>Helio-Signature: v1=&lt;hex HMAC-SHA256&gt;</c> over
/// <c>"{Helio-Timestamp}.{body}"</c> with the webhook's secret (its UTF-8 text as the key). The timestamp inside the
/// signed text lets receivers refuse replays older than a tolerance window.
/// </summary>
public static class WebhookSignature
{
    public const string Version = "v1";
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The Helio-Signature header value for a body sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(SignedText(timestamp, body)));
        return $"{Version}={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>
    /// Whether the headers prove the body came from Helio with this secret within <paramref name="tolerance"/> of
    /// <paramref name="now"/>. The header may list several comma-separated signatures (one per secret during a
    /// rotation, or future versions); any valid v1 one will do.
    /// </summary>
    public static bool Verify(string secret, string? timestampHeader, string body, string? signatureHeader, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null)
        {
            return false;
        }
        if ((now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > (tolerance ?? DefaultTolerance))
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        foreach (var candidate in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Constant time, so a receiver's answer times do not leak how much of a forged signature was right.
            if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)))
            {
                return true;
            }
        }
        return false;
    }

    private static string SignedText(long timestamp, string body) => timestamp.ToString(CultureInfo.InvariantCulture) + "." + body;
}
