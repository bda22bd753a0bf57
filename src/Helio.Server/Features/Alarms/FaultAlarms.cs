using System.Globalization;
using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Alarms;

/// <summary>Inverter faults: an alarm per fault ID while its bit is set in the fault words, cleared when it goes.</summary>
internal static class FaultAlarms
{
    public const string Rule = "inverter-fault-bit";

    /// <summary>Makes the open fault alarms of a device match the fault IDs of its newest reading.</summary>
    public static async Task SyncAsync(AlarmBook book, WatchedDevice device, FaultSet faults, InverterState state, DateTimeOffset readingAt, CancellationToken cancellationToken)
    {
        var plant = device.PlantId!.Value;
        var open = await book.OpenAsync(plant, device.Serial, AlarmSource.Fault, cancellationToken);
        var active = faults.ToArray();
        foreach (var id in active)
        {
            var code = FaultCatalogue.Code(id);
            if (open.Any(a => a.Code == code && a.IsActive))
            {
                continue;
            }
            var fault = FaultCatalogue.Describe(device.Model, id);
            var explanation = new AlarmExplanation(
                Rule,
                $"The inverter reported fault ID{id:D2} ({fault.Text}) in its fault registers; Helio raises an alarm for each fault the inverter reports and clears it when the inverter stops reporting it.",
                new Dictionary<string, string>
                {
                    ["reading time"] = readingAt.ToString("u", CultureInfo.InvariantCulture),
                    ["active fault IDs"] = string.Join(", ", active.Select(a => $"ID{a:D2}")),
                    ["inverter state"] = state.ToString(),
                    ["register map"] = FaultCatalogue.MapFor(device.Model).Name,
                },
                new Dictionary<string, string>
                {
                    ["condition"] = $"bit {id - 1} of the fault words (ID{id:D2}) is set",
                    ["severity"] = fault.Severity == FaultSeverity.Permanent ? "permanent fault (needs service): critical" : "recoverable fault: major",
                },
                readingAt);
            await book.RaiseAsync(new AlarmSignal(plant, device.Serial, AlarmSource.Fault, code, FaultCatalogue.SeverityOf(fault), fault.Text, fault.Action, explanation), cancellationToken);
        }
        foreach (var alarm in open.Where(a => a.IsActive && !active.Contains(ParseId(a.Code))))
        {
            await book.ClearAsync(alarm.OpenKey!, "the inverter no longer reports this fault", cancellationToken);
        }
    }

    private static int ParseId(string code) => int.TryParse(code.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
}
