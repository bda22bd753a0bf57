namespace Helio.Protocols.Solar;

/// <summary>
/// The sun's elevation at a place and instant, from NOAA's general solar position formulas (accurate to a
/// fraction of a degree, plenty for a simulated power curve).
/// </summary>
public static class SunPosition
{
    /// <summary>Cosine of the solar zenith angle: the sine of the sun's elevation; negative below the horizon.</summary>
    public static double CosZenith(double latitude, double longitude, DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var hour = utc.TimeOfDay.TotalHours;
        var gamma = 2 * Math.PI / 365 * (utc.DayOfYear - 1 + ((hour - 12) / 24));
        var equationOfTime = 229.18 * (0.000075 + (0.001868 * Math.Cos(gamma)) - (0.032077 * Math.Sin(gamma))
            - (0.014615 * Math.Cos(2 * gamma)) - (0.040849 * Math.Sin(2 * gamma)));
        var declination = 0.006918 - (0.399912 * Math.Cos(gamma)) + (0.070257 * Math.Sin(gamma)) - (0.006758 * Math.Cos(2 * gamma))
            + (0.000907 * Math.Sin(2 * gamma)) - (0.002697 * Math.Cos(3 * gamma)) + (0.00148 * Math.Sin(3 * gamma));
        var trueSolarMinutes = (hour * 60) + equationOfTime + (4 * longitude);
        var hourAngle = DegreesToRadians((trueSolarMinutes / 4) - 180);
        var lat = DegreesToRadians(latitude);
        return (Math.Sin(lat) * Math.Sin(declination)) + (Math.Cos(lat) * Math.Cos(declination) * Math.Cos(hourAngle));
    }

    /// <summary>Global horizontal irradiance under a clear sky (Haurwitz model), in W/m².</summary>
    public static double ClearSkyIrradiance(double cosZenith) =>
        cosZenith <= 0.01 ? 0 : 1098 * cosZenith * Math.Exp(-0.057 / cosZenith);

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
