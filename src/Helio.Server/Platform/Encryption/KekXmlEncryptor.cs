using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Helio.Server.Platform.Encryption;

/// <summary>
/// Encrypts ASP.NET Data Protection's keys (which sign cookies and tokens) with the current key-encryption
/// key before they are stored in the database, so a copy of the database cannot forge a session.
/// </summary>
internal sealed class KekXmlEncryptor(KeyRing keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(keys.CurrentKek, 16))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, KekXmlDecryptor.AssociatedData(keys.CurrentKeyId));
        }
        var element = new XElement("encryptedKey",
            new XAttribute("kek", keys.CurrentKeyId),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. ciphertext])));
        return new EncryptedXmlInfo(element, typeof(KekXmlDecryptor));
    }
}

/// <summary>Reverses <see cref="KekXmlEncryptor"/>; created by Data Protection through the service provider.</summary>
internal sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    internal static byte[] AssociatedData(string kekId) => Encoding.UTF8.GetBytes("helio:dataprotection:v1:" + kekId);

    public XElement Decrypt(XElement encryptedElement) => Decrypt(services.GetRequiredService<KeyRing>(), encryptedElement);

    /// <summary>
    /// Re-encrypts, under the current KEK, every part of a stored Data Protection key that an older KEK encrypted, so
    /// the older KEK can be destroyed; false when nothing needed it.
    /// </summary>
    internal static bool Reencrypt(KeyRing keys, XElement storedKey)
    {
        var stale = storedKey.Descendants().Where(e => e.Name.LocalName == "encryptedKey" && (string?)e.Attribute("kek") is { } kek && kek != keys.CurrentKeyId).ToList();
        foreach (var element in stale)
        {
            element.ReplaceWith(new KekXmlEncryptor(keys).Encrypt(Decrypt(keys, element)).EncryptedElement);
        }
        return stale.Count > 0;
    }

    private static XElement Decrypt(KeyRing keys, XElement encryptedElement)
    {
        var kekId = (string?)encryptedElement.Attribute("kek") ?? throw new CryptographicException("The protected key names no key-encryption key.");
        var bytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var plaintext = new byte[bytes.Length - 28];
        using (var aes = new AesGcm(keys.Kek(kekId), 16))
        {
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plaintext, AssociatedData(kekId));
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
