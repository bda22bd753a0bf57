using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Devices;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>What the device page shows: the newest reading with every metric, and the recent readings with faults.</summary>
public sealed record DeviceTelemetryDto(string SerialNumber, string? Model, Guid PlantId, string PlantName, string TimeZone, RawReadingDto? Latest, IReadOnlyList<RawReadingDto> RecentFaults);

internal sealed class DeviceTelemetry(HelioDbContext db, DeviceQueries devices, RawReadings raw, TimeProvider time)
{
    public const int FaultHistory = 50;

    /// <summary>How far back the fault history looks: bounds the scan for a device that never had a fault.</summary>
    public static readonly TimeSpan FaultHistorySpan = TimeSpan.FromDays(90);

    public async Task<DeviceTelemetryDto?> GetAsync(Guid userId, string serialNumber, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var device = await devices.Visible(userId).Where(d => d.SerialNumber == serial)
            .Join(db.Plants, d => d.PlantId, p => p.Id, (d, p) => new { d.SerialNumber, d.Model, PlantId = p.Id, PlantName = p.Name, p.TimeZone })
            .SingleOrDefaultAsync(cancellationToken);
        if (device is null)
        {
            return null;
        }
        var zone = Zones.Find(device.TimeZone);
        RawReadingDto? latest = null;
        IReadOnlyList<RawReadingDto> faults = [];
        if (await raw.DeviceNumberAsync(serial, cancellationToken) is { } number)
        {
            var all = Enum.GetValues<Metric>();
            latest = (await raw.ReadAsync(number, long.MinValue, long.MaxValue, all, 1, zone, cancellationToken, newestFirst: true)).SingleOrDefault();
            faults = await raw.ReadAsync(number, (time.GetUtcNow() - FaultHistorySpan).ToUnixTimeMilliseconds(), long.MaxValue, [], FaultHistory, zone, cancellationToken, newestFirst: true, withFaultsOnly: true);
        }
        return new DeviceTelemetryDto(device.SerialNumber, device.Model, device.PlantId, device.PlantName, device.TimeZone, latest, faults);
    }
}
