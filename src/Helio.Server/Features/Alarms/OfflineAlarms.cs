using System.Globalization;
using Helio.Protocols.Solar;
using Helio.Server.Features.Devices;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// Devices that stopped talking. A logger heartbeats day and night, so one silent for
/// <see cref="AlarmsOptions.LoggerOfflineAfter"/> is offline whatever the hour. An inverter sleeps when the sun is down,
/// so it is offline only when it has been silent for the plant's offline minutes and the sun stood above
/// <see cref="AlarmsOptions.DaylightElevation"/> at the plant for that whole stretch (checked at its start and end);
/// an inverter behind an offline logger is not reported again, its logger's alarm says it all.
/// Devices that never sent anything are not judged: there is nothing yet to miss.
/// </summary>
internal sealed class OfflineAlarms(HelioDbContext db, AlarmBook book, AlarmsOptions options, int defaultOfflineMinutes, TimeProvider time)
{
    public const string InverterCode = "inverter-offline";
    public const string LoggerCode = "logger-offline";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = (await db.Alarms.AsNoTracking().Where(a => a.Source == AlarmSource.Offline && a.OpenKey != null)
            .Select(a => new { a.OpenKey, a.State }).ToListAsync(cancellationToken))
            .ToDictionary(a => a.OpenKey!, a => a.State);
        var offlineLoggers = await CheckLoggersAsync(now, open, cancellationToken);
        await CheckInvertersAsync(now, open, offlineLoggers, cancellationToken);
    }

    private async Task<HashSet<string>> CheckLoggersAsync(DateTimeOffset now, Dictionary<string, AlarmState> open, CancellationToken cancellationToken)
    {
        var loggers = await (
            from d in db.Devices.AsNoTracking()
            where d.Kind == DeviceKind.Logger
            join p in db.LoggerPresence.AsNoTracking() on d.SerialNumber equals p.LoggerSerial
            select new { d.SerialNumber, d.PlantId, p.LastSeenAt }).ToListAsync(cancellationToken);
        var offline = new HashSet<string>(StringComparer.Ordinal);
        foreach (var logger in loggers)
        {
            var key = Alarm.KeyOf(logger.PlantId, logger.SerialNumber, AlarmSource.Offline, LoggerCode);
            var silent = now - logger.LastSeenAt;
            if (silent >= options.LoggerOfflineAfter)
            {
                offline.Add(logger.SerialNumber);
                if (!IsActive(open, key))
                {
                    await book.RaiseAsync(LoggerSignal(logger.PlantId, logger.SerialNumber, logger.LastSeenAt, now), cancellationToken);
                }
            }
            else if (IsActive(open, key))
            {
                await book.ClearAsync(key, $"heard again at {logger.LastSeenAt:u}", cancellationToken);
            }
        }
        return offline;
    }

    private async Task CheckInvertersAsync(DateTimeOffset now, Dictionary<string, AlarmState> open, HashSet<string> offlineLoggers, CancellationToken cancellationToken)
    {
        var inverters = await (
            from d in db.Devices.AsNoTracking()
            where d.Kind == DeviceKind.Inverter
            join p in db.Plants.AsNoTracking() on d.PlantId equals p.Id
            join t in db.TelemetryDevices.AsNoTracking() on d.SerialNumber equals t.Serial
            join s in db.PlantAlarmSettings.AsNoTracking() on p.Id equals s.PlantId into settings
            from s in settings.DefaultIfEmpty()
            select new
            {
                d.SerialNumber,
                d.PlantId,
                p.Latitude,
                p.Longitude,
                t.LoggerSerial,
                Minutes = (int?)s.OfflineAfterMinutes,
                LastAt = db.Readings.Where(r => r.Device == t.Number).Max(r => (long?)r.At),
            }).ToListAsync(cancellationToken);
        foreach (var inverter in inverters)
        {
            if (inverter.LastAt is not { } lastMs)
            {
                continue;
            }
            var key = Alarm.KeyOf(inverter.PlantId, inverter.SerialNumber, AlarmSource.Offline, InverterCode);
            var last = DateTimeOffset.FromUnixTimeMilliseconds(lastMs);
            var after = TimeSpan.FromMinutes(inverter.Minutes is > PlantAlarmSettings.Inherit and { } own ? own : defaultOfflineMinutes);
            var silent = now - last;
            if (silent < after)
            {
                if (IsActive(open, key))
                {
                    await book.ClearAsync(key, $"data again from {last:u}", cancellationToken);
                }
                continue;
            }
            var elevationStart = Elevation(inverter.Latitude, inverter.Longitude, now - after);
            var elevationNow = Elevation(inverter.Latitude, inverter.Longitude, now);
            var daylight = elevationStart >= options.DaylightElevation && elevationNow >= options.DaylightElevation;
            var behindOfflineLogger = inverter.LoggerSerial is { } logger && offlineLoggers.Contains(logger);
            if (daylight && !behindOfflineLogger && !IsActive(open, key))
            {
                await book.RaiseAsync(InverterSignal(inverter.PlantId, inverter.SerialNumber, last, now, after, elevationStart, elevationNow), cancellationToken);
            }
        }
    }

    private static bool IsActive(Dictionary<string, AlarmState> open, string key) =>
        open.TryGetValue(key, out var state) && state is AlarmState.Raised or AlarmState.Acknowledged;

    /// <summary>Degrees above the horizon.</summary>
    internal static double Elevation(double latitude, double longitude, DateTimeOffset at) =>
        90 - (Math.Acos(Math.Clamp(SunPosition.CosZenith(latitude, longitude, at), -1, 1)) * 180 / Math.PI);

    private AlarmSignal InverterSignal(Guid plantId, string serial, DateTimeOffset last, DateTimeOffset now, TimeSpan after, double elevationStart, double elevationNow) => new(
        plantId, serial, AlarmSource.Offline, InverterCode, AlarmSeverity.Major, "Inverter offline in daylight",
        "Check that the inverter is switched on (AC and DC isolators) and that its logger has power and a network connection.",
        new AlarmExplanation(
            "offline-in-daylight",
            $"No data from this inverter for {Minutes(now - last)} while the sun was up at the plant; an inverter that sleeps at night is not reported, one silent in daylight is.",
            new Dictionary<string, string>
            {
                ["last data"] = last.ToString("u", CultureInfo.InvariantCulture),
                ["checked at"] = now.ToString("u", CultureInfo.InvariantCulture),
                ["sun elevation at the start of the silence"] = $"{elevationStart:0.0}°",
                ["sun elevation now"] = $"{elevationNow:0.0}°",
            },
            new Dictionary<string, string>
            {
                ["silent for at least"] = Minutes(after),
                ["sun above"] = $"{options.DaylightElevation:0.#}° for the whole stretch",
            },
            now));

    private AlarmSignal LoggerSignal(Guid plantId, string serial, DateTimeOffset last, DateTimeOffset now) => new(
        plantId, serial, AlarmSource.Offline, LoggerCode, AlarmSeverity.Major, "Data logger offline",
        "Check the logger's power and its Wi-Fi or network connection; a router change often needs the logger to be reconfigured.",
        new AlarmExplanation(
            "logger-heartbeat",
            $"Nothing heard from this data logger for {Minutes(now - last)}. Loggers send a heartbeat every 2 minutes day and night, so silence means the logger or its connection is down.",
            new Dictionary<string, string>
            {
                ["last heard"] = last.ToString("u", CultureInfo.InvariantCulture),
                ["checked at"] = now.ToString("u", CultureInfo.InvariantCulture),
            },
            new Dictionary<string, string> { ["silent for at least"] = Minutes(options.LoggerOfflineAfter) },
            now));

    private static string Minutes(TimeSpan span) => $"{span.TotalMinutes:0} min";
}
