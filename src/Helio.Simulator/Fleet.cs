using System.Globalization;
using Helio.Simulator.Inverters;

namespace Helio.Simulator;

/// <summary>
/// The simulated plants of a run, the same for push and serve: spread over Europe, sizes of homes and small
/// businesses, logger serials counting up from the first; everything from the seed.
/// </summary>
public static class Fleet
{
    /// <summary>The largest fleet one simulator runs (each inverter holds about 2 KB of registers).</summary>
    public const int MaxCount = 100_000;

    private static readonly string[] Zones = ["Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw", "Europe/Amsterdam"];

    /// <summary>The logger serial of plant <paramref name="index"/> and the inverter behind that logger.</summary>
    public static (uint LoggerSerial, SimulatedInverter Inverter) Create(int seed, uint firstSerial, int index)
    {
        var random = new Random(SeedOf(seed, index));
        var plant = new SimulatedPlant(
            Latitude: 38 + (random.NextDouble() * 16),
            Longitude: -5 + (random.NextDouble() * 25),
            TimeZone: TimeZoneInfo.FindSystemTimeZoneById(Zones[index % Zones.Length]),
            CapacityKwp: Math.Round(3 + (random.NextDouble() * 12), 1));
        var serial = checked(firstSerial + (uint)index);
        var inverter = new SimulatedInverter(string.Create(CultureInfo.InvariantCulture, $"SS1ES{serial:D10}"), plant, (ulong)seed, index, initialEnergyTotalKwh: random.Next(1000, 30000));
        return (serial, inverter);
    }

    /// <summary>
    /// A seed for plant <paramref name="index"/> of a run, the same in every process (unlike <see cref="HashCode"/>,
    /// which is randomised per process), so that --seed replays a fleet across runs.
    /// </summary>
    public static int SeedOf(int seed, int index) => unchecked((seed * 1_000_003) ^ index);

    /// <summary>Whether serials from <paramref name="firstSerial"/> on stay 10-digit for <paramref name="count"/> loggers.</summary>
    public static bool SerialsFit(uint firstSerial, int count) =>
        firstSerial >= 1_000_000_000 && (ulong)firstSerial + (ulong)count - 1 <= uint.MaxValue;

    /// <summary>The line each command prints per logger, so that a logger can be registered to a plant.</summary>
    public static string Describe(uint loggerSerial, SimulatedInverter inverter) =>
        string.Create(CultureInfo.InvariantCulture, $"logger {loggerSerial:D10}  inverter {inverter.SerialNumber}");
}
