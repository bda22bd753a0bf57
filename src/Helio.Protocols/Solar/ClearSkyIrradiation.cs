namespace Helio.Protocols.Solar;

/// <summary>
/// Solar energy reaching a square metre of horizontal ground under a clear sky over an interval: the clear-sky
/// irradiance of <see cref="SunPosition"/> integrated over time.
/// </summary>
public static class ClearSkyIrradiation
{
    /// <summary>The sun moves 1.25° in five minutes: the midpoint rule is then within a fraction of a percent of the
    /// exact integral over a day, at 288 evaluations.</summary>
    public static readonly TimeSpan DefaultStep = TimeSpan.FromMinutes(5);

    /// <summary>
    /// kWh/m² from <paramref name="start"/> to <paramref name="end"/> (Haurwitz clear-sky global horizontal
    /// irradiance). Numerically these are "peak sun hours": hours at the 1,000 W/m² under which a module's kWp is
    /// rated, so a kWp of modules turns them into that many kWh before losses.
    /// </summary>
    public static double KwhPerSquareMetre(double latitude, double longitude, DateTimeOffset start, DateTimeOffset end, TimeSpan? step = null)
    {
        var stepTicks = (step ?? DefaultStep).Ticks;
        if (stepTicks <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive.");
        }
        var whPerSquareMetre = 0.0;
        for (var at = start.UtcTicks; at < end.UtcTicks; at += stepTicks)
        {
            // The last step is cut at the end, so a day of 23 or 25 hours counts exactly its own hours.
            var length = Math.Min(stepTicks, end.UtcTicks - at);
            var middle = new DateTimeOffset(at + (length / 2), TimeSpan.Zero);
            var irradiance = SunPosition.ClearSkyIrradiance(SunPosition.CosZenith(latitude, longitude, middle));
            whPerSquareMetre += irradiance * length / TimeSpan.TicksPerHour;
        }
        return whPerSquareMetre / 1000;
    }
}
