using Helio.Protocols.Solar;
using Helio.Server.Features.Telemetry;

namespace Helio.Server.Features.Alarms;

/// <summary>What a plant would make on a local day under a clear sky: the day's clear-sky irradiation on horizontal
/// ground (kWh/m², i.e. peak sun hours) × its kWp × a performance ratio.</summary>
internal static class ExpectedYield
{
    /// <summary>
    /// The share of the modules' rated output a healthy plant delivers to the grid: heat, inverter, wiring, soiling
    /// and mismatch cost 15 to 25 % (well-run plants measure 0.75 to 0.85; the simulator's chain is 0.85 × 0.97).
    /// 0.8 is the usual planning figure. Horizontal irradiance under-counts a tilted array in winter, so the model
    /// expects less than a south-facing roof makes on a clear winter day: it errs towards not raising an alarm.
    /// </summary>
    public const double PerformanceRatio = 0.8;

    /// <summary>Clear-sky kWh/m² of the local <paramref name="day"/> (23, 24 or 25 hours) at the plant.</summary>
    public static double IrradiationKwhPerSquareMetre(double latitude, double longitude, TimeZoneInfo zone, DateOnly day)
    {
        var (start, end) = LocalPeriods.DayRange(day, zone);
        return ClearSkyIrradiation.KwhPerSquareMetre(latitude, longitude, DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end));
    }

    /// <summary>kWh a healthy plant of <paramref name="capacityKwp"/> makes on the local <paramref name="day"/> under a clear sky.</summary>
    public static double ClearSkyKwh(double latitude, double longitude, TimeZoneInfo zone, double capacityKwp, DateOnly day) =>
        capacityKwp * PerformanceRatio * IrradiationKwhPerSquareMetre(latitude, longitude, zone, day);
}
