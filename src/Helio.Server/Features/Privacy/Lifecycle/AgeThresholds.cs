using System.Collections.Frozen;

namespace Helio.Server.Features.Privacy.Lifecycle;

/// <summary>
/// The age below which a parent or guardian must consent to a child's account, by the country the account gives
/// (docs/PRIVACY.md). GDPR Art. 8(1) sets 16 and lets member states lower it to 13; China's PIPL Art. 28/31 sets 14.
/// Countries without a known rule get <see cref="Default"/>: the stricter choice, which at worst asks a guardian of a
/// teenager who could have consented alone. A country's rule is one line here.
/// </summary>
public static class AgeThresholds
{
    public const int Default = 16;

    private static readonly FrozenDictionary<string, int> ByCountry = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AT"] = 14,
        ["BE"] = 13,
        ["CZ"] = 15,
        ["DK"] = 13,
        ["FI"] = 13,
        ["FR"] = 15,
        ["DE"] = 16,
        ["IE"] = 16,
        ["IT"] = 14,
        ["NL"] = 16,
        ["ES"] = 14,
        ["SE"] = 13,
        // UK GDPR / Data Protection Act 2018 s. 9. Helio stores ISO 3166-1 codes (GB); UK is accepted as its alias.
        ["GB"] = 13,
        ["UK"] = 13,
        ["CN"] = 14,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The age of digital consent in <paramref name="country"/> (ISO 3166-1 alpha-2, any case).</summary>
    public static int For(string? country) =>
        country is not null && ByCountry.TryGetValue(country.Trim().ToUpperInvariant(), out var age) ? age : Default;

    /// <summary>Whole years completed on <paramref name="today"/>: a birthday counts from its day on (29 February from 1 March in other years).</summary>
    public static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        if (today.Month < birth.Month || (today.Month == birth.Month && today.Day < birth.Day))
        {
            age--;
        }
        return age;
    }

    /// <summary>True when someone born on <paramref name="birth"/> needs a guardian's consent in <paramref name="country"/> today.</summary>
    public static bool NeedsGuardian(DateOnly birth, string? country, DateOnly today) => AgeOn(birth, today) < For(country);
}
