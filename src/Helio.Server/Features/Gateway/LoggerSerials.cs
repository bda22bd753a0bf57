using System.Globalization;

namespace Helio.Server.Features.Gateway;

/// <summary>A logger's serial travels as a uint in V5 frames and is stored as the 10 digits printed on it.</summary>
internal static class LoggerSerials
{
    public static string Format(uint serial) => serial.ToString("D10", CultureInfo.InvariantCulture);
}
