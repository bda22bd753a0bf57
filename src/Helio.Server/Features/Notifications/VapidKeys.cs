using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Helio.Server.Platform;
using Microsoft.Extensions.Options;

namespace Helio.Server.Features.Notifications;

/// <summary>
/// The server's VAPID key pair (RFC 8292): browsers subscribe with the public key, and push services accept only
/// messages signed with its private key. From Notifications:Vapid, or else generated once into
/// &lt;data dir&gt;/keys/vapid.json (beside the encryption keys). Changing the pair invalidates every subscription, so
/// a cluster configures one pair for all nodes.
/// </summary>
public sealed class VapidKeys
{
    public const string DefaultSubject = "mailto:no-reply@helio.localhost";

    public VapidKeys(IOptions<NotificationsOptions> options, IOptions<HelioOptions> helio)
    {
        var vapid = options.Value.Vapid;
        if (!string.IsNullOrWhiteSpace(vapid.PublicKey) || !string.IsNullOrWhiteSpace(vapid.PrivateKey))
        {
            PublicKey = vapid.PublicKey ?? throw new InvalidOperationException("Notifications:Vapid:PublicKey is missing.");
            PrivateKey = vapid.PrivateKey ?? throw new InvalidOperationException("Notifications:Vapid:PrivateKey is missing.");
        }
        else
        {
            (PublicKey, PrivateKey) = ReadOrCreate(helio.Value.DataPath("keys", "vapid.json"));
        }
        Subject = string.IsNullOrWhiteSpace(vapid.Subject) ? DefaultSubject : vapid.Subject;
    }

    /// <summary>Uncompressed P-256 point, base64url: what PushManager.subscribe takes as applicationServerKey.</summary>
    public string PublicKey { get; }
    internal string PrivateKey { get; }
    public string Subject { get; }

    private static (string Public, string Private) ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var file = new VapidFile(
                Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]),
                Base64Url.EncodeToString(parameters.D!));
            // Owner-only from the first byte, written aside and moved into place: two nodes starting at once on one
            // data directory end with one of the two pairs, whole.
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temporary, streamOptions))
            {
                JsonSerializer.Serialize(stream, file);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        var stored = JsonSerializer.Deserialize<VapidFile>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is empty.");
        return (stored.PublicKey, stored.PrivateKey);
    }

    private sealed record VapidFile(string PublicKey, string PrivateKey);
}
