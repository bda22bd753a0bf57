using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;
using Helio.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helio.Server.Tests.Telemetry;

/// <summary>Made-up but realistic inverter days, and rolling them up now rather than on the worker's timer.</summary>
internal static class SunnyDay
{
    /// <summary>A sunny local day every 5 minutes (up to <paramref name="untilMs"/>): power on a sine from 07:00 to 17:00
    /// (peak 5 kW), the day counter integrating it and resetting at local midnight, the lifetime counter from 1,000 kWh.</summary>
    public static List<TelemetryReading> Readings(string serial, DateOnly date, TimeZoneInfo zone, out double dayKwh, long untilMs = long.MaxValue)
    {
        var (start, end) = LocalPeriods.DayRange(date, zone);
        var readings = new List<TelemetryReading>();
        var today = 0.0;
        for (var at = start; at < end && at <= untilMs; at += 300_000)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(at), zone);
            var hour = local.TimeOfDay.TotalHours;
            var power = hour is > 7 and < 17 ? 5000 * Math.Sin(Math.PI * (hour - 7) / 10) : 0;
            today += power / 1000 / 12;
            var reading = new InverterReading { State = power > 0 ? InverterState.OnGrid : InverterState.Waiting };
            reading.Set(Metric.ActivePowerW, power);
            reading.Set(Metric.EnergyTodayKwh, Math.Round(today, 2));
            reading.Set(Metric.EnergyTotalKwh, Math.Round(1000 + today, 1));
            readings.Add(new TelemetryReading(serial, null, at, reading));
        }
        dayKwh = Math.Round(today, 2);
        return readings;
    }

    public static async Task RollUpAllAsync(HelioApp app, CancellationToken cancellationToken)
    {
        var worker = app.Services.GetRequiredService<RollupWorker>();
        while (await worker.RunOnceAsync(cancellationToken) > 0)
        {
        }
    }
}
