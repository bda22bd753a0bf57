using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>Whose calendar a device's rollups follow: its plant's zone, or UTC while nobody has registered it.</summary>
/// <param name="MaxPowerW">The most it could produce, for telling counter glitches from energy: its plant's capacity
/// (an upper bound for each of the plant's inverters), or 100 kW for a device with no plant yet.</param>
internal sealed record DeviceOwner(Guid? Plant, TimeZoneInfo Zone, double MaxPowerW)
{
    public static readonly DeviceOwner Nobody = new(null, TimeZoneInfo.Utc, 100_000);
}

internal static class DeviceOwners
{
    public static async Task<Dictionary<int, DeviceOwner>> OfAsync(HelioDbContext db, IReadOnlyCollection<int> numbers, CancellationToken cancellationToken)
    {
        var rows = await (
            from t in db.TelemetryDevices
            where numbers.Contains(t.Number)
            join d in db.Devices.Where(d => d.Kind == Devices.DeviceKind.Inverter) on t.Serial equals d.SerialNumber
            join p in db.Plants on d.PlantId equals p.Id
            select new { t.Number, p.Id, p.TimeZone, p.CapacityKwp }).ToListAsync(cancellationToken);
        var owners = numbers.ToDictionary(n => n, _ => DeviceOwner.Nobody);
        foreach (var row in rows)
        {
            owners[row.Number] = new DeviceOwner(row.Id, Zones.Find(row.TimeZone), row.CapacityKwp > 0 ? row.CapacityKwp * 1000 : DeviceOwner.Nobody.MaxPowerW);
        }
        return owners;
    }
}

/// <summary>IANA zones by id, looked up once: plants were validated on save, so an unknown id means the system's zone
/// data changed, and UTC is the least wrong answer.</summary>
internal static class Zones
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Known = new(StringComparer.Ordinal);

    public static TimeZoneInfo Find(string id) => Known.GetOrAdd(id, static id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc);
}
