using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// The raw readings of the person's devices as CSV, in stored units turned into the API's (W, kWh, %). Per device, in
/// time order, keyset-paged on the table's own key (device, at) and read untracked: a year of 5-minute readings of ten
/// plants is a million rows, of which one batch is in memory. Only readings from when the device joined the person's
/// plant on: what it sent for a previous owner is not theirs.
/// </summary>
internal sealed class ExportReadings(HelioDbContext db, int batchSize)
{
    public async Task WriteAsync(Guid userId, TextWriter writer, ExportCounts counts, IExportProgress progress, int sectionsDone, CancellationToken cancellationToken)
    {
        var csv = new CsvRows(writer).Header("device_serial", "at", "state", "faults", "active_power_w", "energy_today_kwh", "energy_total_kwh",
            "pv_power_w", "load_power_w", "grid_power_w", "battery_power_w", "battery_state_of_charge_percent");
        var devices = await (
            from d in db.Devices.AsNoTracking()
            join p in db.Plants on d.PlantId equals p.Id
            join t in db.TelemetryDevices on d.SerialNumber equals t.Serial
            where p.OwnerId == userId
            orderby d.SerialNumber
            select new { t.Number, d.SerialNumber, d.CreatedAt }).ToListAsync(cancellationToken);
        foreach (var device in devices)
        {
            var number = device.Number;
            var after = device.CreatedAt.ToUnixTimeMilliseconds() - 1;
            while (true)
            {
                var last = after;
                var batch = await db.Readings.AsNoTracking().Where(r => r.Device == number && r.At > last).OrderBy(r => r.At).Take(batchSize)
                    .ToListAsync(cancellationToken);
                foreach (var r in batch)
                {
                    csv.Text(device.SerialNumber).Time(DateTimeOffset.FromUnixTimeMilliseconds(r.At)).Number(r.State).Text(r.Faults).Number(r.ActivePowerW)
                        .Scaled(r.EnergyToday, 2).Scaled(r.EnergyTotal, 2).Number(r.PvPowerW).Number(r.LoadPowerW).Number(r.GridPowerW)
                        .Number(r.BatteryPowerW).Scaled(r.BatterySocPermille, 1).End();
                }
                counts.Readings += batch.Count;
                counts.Rows += batch.Count;
                await progress.ReportAsync(sectionsDone, counts.Rows, cancellationToken);
                if (batch.Count < batchSize)
                {
                    break;
                }
                after = batch[^1].At;
            }
        }
    }
}
