using System.Text.RegularExpressions;

namespace Helio.Server.Features.Devices;

/// <summary>
/// Serial formats: a Solarman logger has 10 digits (e.g. 2712345678); an inverter has the letters and
/// digits of its nameplate (e.g. SS1ES120P38069), 6 to 32 of them, stored upper-case.
/// </summary>
internal static partial class SerialNumbers
{
    public static string Normalise(string serial) => serial.Trim().ToUpperInvariant();

    public static string? Problem(DeviceKind kind, string? serial) => kind switch
    {
        _ when string.IsNullOrWhiteSpace(serial) => "Required.",
        DeviceKind.Logger when !LoggerSerial().IsMatch(serial.Trim()) => "A data logger serial number has exactly 10 digits, e.g. 2712345678.",
        // The V5 protocol carries the serial as a 32-bit number: a larger one cannot belong to a real logger.
        DeviceKind.Logger when !uint.TryParse(serial.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) =>
            "A data logger serial number is at most 4294967295.",
        DeviceKind.Inverter when !InverterSerial().IsMatch(Normalise(serial)) => "An inverter serial number has 6 to 32 letters and digits as on the nameplate, e.g. SS1ES120P38069.",
        _ => null,
    };

    [GeneratedRegex("^[0-9]{10}$")]
    private static partial Regex LoggerSerial();

    [GeneratedRegex("^(?=.*[0-9])[A-Z0-9]{6,32}$")]
    private static partial Regex InverterSerial();
}
