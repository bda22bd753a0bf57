using System.Globalization;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Alarms;

/// <summary>
/// A link that works badly rather than not at all: too many requests to the inverter unanswered or answered with
/// errors, or too many bad frames, over the communication window. Judged on each node for the loggers connected to
/// it (the counts live there); raised above the thresholds, cleared below half of them (hysteresis, so a link
/// hovering at the line does not flap).
/// </summary>
internal sealed class CommunicationAlarms(HelioDbContext db, AlarmBook book, LoggerLinks links, AlarmsOptions options, TimeProvider time)
{
    public const string Code = "communication";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var stats = links.Window().Where(s => s.Requests > 0 || s.BadFrames > 0).ToDictionary(s => LoggerSerials.Format(s.Logger), StringComparer.Ordinal);
        if (stats.Count == 0)
        {
            return;
        }
        var serials = stats.Keys.ToList();
        var loggers = await db.Devices.AsNoTracking().Where(d => d.Kind == DeviceKind.Logger && serials.Contains(d.SerialNumber))
            .Select(d => new { d.SerialNumber, d.PlantId }).ToListAsync(cancellationToken);
        var open = (await db.Alarms.AsNoTracking().Where(a => a.Source == AlarmSource.Communication && a.OpenKey != null && serials.Contains(a.DeviceSerial!))
            .Select(a => new { a.OpenKey, a.State }).ToListAsync(cancellationToken)).ToDictionary(a => a.OpenKey!, a => a.State);
        foreach (var logger in loggers)
        {
            var s = stats[logger.SerialNumber];
            var key = Alarm.KeyOf(logger.PlantId, logger.SerialNumber, AlarmSource.Communication, Code);
            var active = open.TryGetValue(key, out var state) && state is AlarmState.Raised or AlarmState.Acknowledged;
            var failurePercent = s.Requests == 0 ? 0 : 100.0 * s.Failures / s.Requests;
            var failing = s.Requests >= options.CommunicationMinRequests && failurePercent >= options.CommunicationFailurePercent;
            var garbled = s.BadFrames >= options.CommunicationBadFrames;
            if ((failing || garbled) && !active)
            {
                await book.RaiseAsync(Signal(logger.PlantId, logger.SerialNumber, s, failurePercent), cancellationToken);
            }
            else if (active && s.Requests >= options.CommunicationMinRequests && failurePercent < options.CommunicationFailurePercent / 2.0 && s.BadFrames < options.CommunicationBadFrames / 2.0)
            {
                await book.ClearAsync(key, $"{s.Failures} of {s.Requests} requests failed and {s.BadFrames} bad frames in the last {options.CommunicationWindow.TotalMinutes:0} min", cancellationToken);
            }
        }
    }

    private AlarmSignal Signal(Guid plantId, string serial, LinkStats s, double failurePercent) => new(
        plantId, serial, AlarmSource.Communication, Code, AlarmSeverity.Warning, "Poor communication with the inverter",
        "Check the logger's signal strength (Wi-Fi) and the cable between logger and inverter; move the router or add a repeater if the signal is weak.",
        new AlarmExplanation(
            "link-quality",
            $"Over the last {options.CommunicationWindow.TotalMinutes:0} minutes {s.Failures} of {s.Requests} requests through this logger went unanswered or failed ({failurePercent:0}%), and {s.BadFrames} runs of bytes were no valid frame.",
            new Dictionary<string, string>
            {
                ["requests"] = s.Requests.ToString(CultureInfo.InvariantCulture),
                ["failed"] = s.Failures.ToString(CultureInfo.InvariantCulture),
                ["bad frames"] = s.BadFrames.ToString(CultureInfo.InvariantCulture),
                ["window"] = $"{options.CommunicationWindow.TotalMinutes:0} min",
            },
            new Dictionary<string, string>
            {
                ["failed requests"] = $"≥ {options.CommunicationFailurePercent}% of at least {options.CommunicationMinRequests}",
                ["or bad frames"] = $"≥ {options.CommunicationBadFrames}",
                ["cleared below"] = "half of each",
            },
            time.GetUtcNow()));
}
