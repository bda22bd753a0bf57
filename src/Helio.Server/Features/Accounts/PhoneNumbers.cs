using PhoneNumbers;

namespace Helio.Server.Features.Accounts;

/// <summary>Phone numbers in E.164, parsed with libphonenumber; a national number is read in the user's country.</summary>
internal static class PhoneNumbers
{
    public const string InvalidNumber = "Not a valid mobile phone number; use the international form, e.g. +49 151 23456789.";
    public const string InvalidCountry = "Must be a two-letter ISO 3166-1 country or region code, e.g. DE.";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly HashSet<string> Regions = new(Util.GetSupportedRegions(), StringComparer.Ordinal);

    /// <summary>Two-letter region codes libphonenumber knows: the accepted values of "country".</summary>
    public static bool IsKnownCountry(string? code) => code is { Length: 2 } && Regions.Contains(code.ToUpperInvariant());

    public static bool TryNormalise(string input, string? country, out string e164)
    {
        e164 = "";
        if (input.Length > 32)
        {
            return false;
        }
        try
        {
            var number = Util.Parse(input, country?.ToUpperInvariant() ?? "ZZ");
            if (!Util.IsValidNumber(number))
            {
                return false;
            }
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
