using System.Globalization;
using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Alarms;

/// <summary>Inverter faults: an alarm per fault ID while its bit is set in the fault words, cleared when it goes.</summary>
internal static class FaultAlarms
{
    public const string Rule = "inverter-fault-bit";

    /// <summary>
    /// The changes that make a device's active fault alarms match the fault IDs of a reading: a raise for each new ID, a
    /// clear for each gone one. <paramref name="active"/> holds the codes active before and is updated, so several
    /// readings of one device in a batch follow one another.
    /// </summary>
    public static void Changes(WatchedDevice device, HashSet<string> active, FaultSet faults, InverterState state, DateTimeOffset readingAt, List<AlarmChange> into)
    {
        var plant = device.PlantId!.Value;
        var ids = faults.ToArray();
        foreach (var id in ids)
        {
            var code = FaultCatalogue.Code(id);
            if (active.Add(code))
            {
                into.Add(AlarmChange.Raise(Signal(device, plant, id, ids, state, readingAt)));
            }
        }
        foreach (var code in active.Where(c => !ids.Contains(ParseId(c))).ToList())
        {
            active.Remove(code);
            into.Add(AlarmChange.Clear(Alarm.KeyOf(plant, device.Serial, AlarmSource.Fault, code), "the inverter no longer reports this fault"));
        }
    }

    private static AlarmSignal Signal(WatchedDevice device, Guid plant, int id, int[] active, InverterState state, DateTimeOffset readingAt)
    {
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
        return new AlarmSignal(plant, device.Serial, AlarmSource.Fault, FaultCatalogue.Code(id), FaultCatalogue.SeverityOf(fault), fault.Text, fault.Action, explanation);
    }

    private static int ParseId(string code) => int.TryParse(code.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
}
