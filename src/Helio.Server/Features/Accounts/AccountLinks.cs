using Microsoft.Extensions.Options;
using Helio.Server.Platform;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// Absolute links for mails. Helio:PublicBaseUrl wins; without it the request's own scheme and host are
/// used, which is right for a home install but lets a forged Host header shape links, so set it in production.
/// </summary>
internal sealed class AccountLinks(IOptions<HelioOptions> options, IHttpContextAccessor http)
{
    public string Base
    {
        get
        {
            if (options.Value.PublicBaseUrl is { Length: > 0 } configured)
            {
                return configured.TrimEnd('/');
            }
            var request = http.HttpContext?.Request ?? throw new InvalidOperationException("No request to take the base address from; set Helio:PublicBaseUrl.");
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
    }

    public string ConfirmEmail(Guid userId, string token) =>
        $"{Base}/account/confirm-email?userId={userId}&code={Uri.EscapeDataString(token)}";

    /// <summary><paramref name="sealedAddress"/> is the new address protected by the server: no plaintext e-mail in URLs.</summary>
    public string ConfirmEmailChange(Guid userId, string sealedAddress, string token) =>
        $"{Base}/account/confirm-email-change?userId={userId}&address={Uri.EscapeDataString(sealedAddress)}&code={Uri.EscapeDataString(token)}";

    public string ResetPassword(Guid userId, string token) =>
        $"{Base}/account/reset-password?userId={userId}&code={Uri.EscapeDataString(token)}";

    public string SignIn => $"{Base}/account/sign-in";
}
