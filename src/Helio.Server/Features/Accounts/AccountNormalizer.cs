using Microsoft.AspNetCore.Identity;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// The one normal form of an e-mail address for lookups (trimmed, lower-case): it feeds the blind index,
/// so changing it would orphan every index.
/// </summary>
internal sealed class AccountNormalizer : ILookupNormalizer
{
    public static string Email(string email) => email.Trim().ToLowerInvariant();

    public string? NormalizeEmail(string? email) => email is null ? null : Email(email);

    public string? NormalizeName(string? name) => name;
}
