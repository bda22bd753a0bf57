using System.Buffers.Text;
using System.Security.Cryptography;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// Client ids and secrets. Both are random; the prefixes let secret scanners (and people) tell them apart. OpenIddict
/// stores only the secret's hash.
/// </summary>
internal static class ApiAccountSecrets
{
    public const string ClientIdPrefix = "hac_", SecretPrefix = "has_";

    public static string NewClientId() => ClientIdPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
