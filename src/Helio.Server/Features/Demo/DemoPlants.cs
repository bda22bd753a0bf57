namespace Helio.Server.Features.Demo;

/// <summary>One demo plant: where it stands, how big it is, and the serials of its logger and the inverter behind it.</summary>
internal sealed record DemoPlant(
    string Name, double Latitude, double Longitude, string TimeZone, string Country, double CapacityKwp, string InverterSerial, uint LoggerSerial);

/// <summary>The demo plants: seeded by <see cref="DemoSeeder"/>, each fed by a simulated logger of <see cref="DemoLoggers"/>.</summary>
internal static class DemoPlants
{
    public static IReadOnlyList<DemoPlant> All { get; } =
    [
        new("Home roof", 48.137, 11.575, "Europe/Berlin", "DE", 9.8, "SS1ES120P38069", 2712345678),
        new("Barn east", 52.370, 4.895, "Europe/Amsterdam", "NL", 29.5, "SF4ES030M12345", 2712345679),
        new("Holiday house", 38.722, -9.139, "Europe/Lisbon", "PT", 5.0, "SA1ES050N77001", 2712345680),
    ];
}
