namespace Helio.Server.Platform.Encryption;

/// <summary>
/// Settings under "Encryption". For production, give the keys here (from a secret store or environment
/// variables); otherwise they are created on first run under &lt;data dir&gt;/keys/ with owner-only permissions.
/// </summary>
public sealed class EncryptionOptions
{
    public const string Section = "Encryption";

    /// <summary>Key-encryption keys by id, each 32 bytes in base64. Keep old ones until `keys rotate` has re-wrapped every data key.</summary>
    public Dictionary<string, string> KeyEncryptionKeys { get; set; } = [];

    /// <summary>The id in <see cref="KeyEncryptionKeys"/> that wraps new data keys.</summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>HMAC-SHA256 key (32 bytes, base64) for the e-mail and phone blind indexes. Never rotate it casually: every index would have to be recomputed.</summary>
    public string? BlindIndexKey { get; set; }

    /// <summary>How often a node looks for KEKs to destroy after an erasure (ADR 0027); erasures in between share one rotation.</summary>
    public TimeSpan RotationCheckEvery { get; set; } = TimeSpan.FromMinutes(1);
}
