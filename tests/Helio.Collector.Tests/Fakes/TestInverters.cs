using Helio.Simulator.Inverters;

namespace Helio.Collector.Tests.Fakes;

/// <summary>Simulated G3 inverters for the tests, standing still at a known instant so that their registers are known.</summary>
internal static class TestInverters
{
    /// <summary>Noon near Munich on 21 June: the inverter produces, so its values are not zero.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 6, 21, 11, 0, 0, TimeSpan.Zero);

    public static SimulatedInverter AtNoon(string serialNumber, int index = 0)
    {
        var inverter = new SimulatedInverter(serialNumber, new SimulatedPlant(48.14, 11.58, TimeZoneInfo.Utc, 10), seed: 7, index: index, initialEnergyTotalKwh: 1234);
        inverter.Advance(Noon.AddMinutes(-30));
        inverter.Advance(Noon);
        return inverter;
    }
}
