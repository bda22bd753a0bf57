using System.Text.RegularExpressions;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.Plants;

internal static partial class PlantValidation
{
    public const double MaxCapacityKwp = 1_000_000;

    public static Validation Validate(PlantRequest request, TimeProvider time)
    {
        var validation = new Validation()
            .Require("name", request.Name, maxLength: 100)
            .Range("latitude", request.Latitude, -90, 90)
            .Range("longitude", request.Longitude, -180, 180)
            .Optional("address", request.Address, maxLength: 200);
        if (request.CapacityKwp is not { } capacity || !double.IsFinite(capacity) || capacity <= 0 || capacity > MaxCapacityKwp)
        {
            validation.Add("capacityKwp", $"Must be greater than 0 and at most {MaxCapacityKwp:0} kWp.");
        }
        if (!IsIanaZone(request.TimeZone))
        {
            validation.Add("timeZone", "Must be an IANA time zone, e.g. Europe/Berlin.");
        }
        if (request.Country is { } country && !Accounts.PhoneNumbers.IsKnownCountry(country))
        {
            validation.Add("country", Accounts.PhoneNumbers.InvalidCountry);
        }
        if (request.CommissioningDate is { } date && (date.Year < 1980 || date > DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddYears(1)))
        {
            validation.Add("commissioningDate", "Must be between 1980 and a year from now.");
        }
        if (request.FeedInTariff is { } tariff && (tariff < 0 || tariff > 100))
        {
            validation.Add("feedInTariff", "Must be between 0 and 100 per kWh.");
        }
        if (request.Currency is { } currency && !CurrencyCode().IsMatch(currency))
        {
            validation.Add("currency", "Must be an ISO 4217 code, e.g. EUR.");
        }
        if (request.FeedInTariff is not null && request.Currency is null)
        {
            validation.Add("currency", "Required with a feed-in tariff.");
        }
        return validation;
    }

    public static bool IsIanaZone(string? id) =>
        id is { Length: > 0 and <= 64 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && zone.Id == id;

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
