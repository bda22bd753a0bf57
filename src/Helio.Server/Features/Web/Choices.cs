using System.Globalization;

namespace Helio.Server.Features.Web;

/// <summary>Option lists for forms, computed once: what the use cases accept, and nothing else.</summary>
internal static class Choices
{
    /// <summary>The regions phone numbers are parsed in, which are what "country" accepts, by English name.</summary>
    public static IReadOnlyList<(string Code, string Name)> Countries { get; } = LoadCountries();

    /// <summary>IANA zones only: plants are validated against them, Windows ids are refused.</summary>
    public static IReadOnlyList<string> TimeZones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal)];

    private static List<(string, string)> LoadCountries()
    {
        var codes = global::PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions();
        return [.. codes.Select(code => (code, NameOf(code))).OrderBy(c => c.Item2, StringComparer.Ordinal)];
    }

    private static string NameOf(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            // A few regions libphonenumber knows (e.g. AC, TA) have no .NET RegionInfo.
            return code;
        }
    }
}
