using System.Globalization;
using System.Text.RegularExpressions;

namespace Helio.Server.Features.Web.Pages.Dashboard;

/// <summary>A row of a per-phase or per-string table: "L1" or "PV2" with its voltage, current and power.</summary>
internal sealed record ChannelRow(string Name, double? VoltageV, double? CurrentA, double? PowerW);

/// <summary>A named group of single metrics of the device page.</summary>
internal sealed record MetricGroup(string Title, string Id, IReadOnlyList<(string Name, string Label, double Value)> Metrics);

/// <summary>
/// Sorts one reading's metrics (names of docs/metrics.md) into what the device page shows: AC per phase, PV per
/// string, then single values grouped as AC, temperatures, energy, battery and anything else. A metric that a
/// later map adds lands in "Other" under its own name instead of going missing.
/// </summary>
internal static partial class MetricGroups
{
    // In the order the page lists them.
    private static readonly (string Name, string Label)[] Known =
    [
        ("activePowerW", "Active power"), ("gridPowerW", "Grid power (+ export, − import)"), ("loadPowerW", "House load"),
        ("gridFrequencyHz", "Grid frequency"), ("pvPowerW", "PV power, all strings"),
        ("energyTodayKwh", "Generated today"), ("energyTotalKwh", "Generated, lifetime"),
        ("gridImportTodayKwh", "Bought today"), ("gridImportTotalKwh", "Bought, lifetime"),
        ("gridExportTodayKwh", "Sold today"), ("gridExportTotalKwh", "Sold, lifetime"), ("generationTimeTodayMin", "Generating today"),
        ("ambientTemperatureC", "Ambient"), ("radiatorTemperatureC", "Heat sink"), ("moduleTemperatureC", "Module"), ("innerTemperatureC", "Inside"),
        ("insulationResistanceKohm", "Insulation resistance"), ("busVoltageV", "DC bus voltage"), ("exportLimitW", "Export limit"),
        ("batteryVoltageV", "Voltage"), ("batteryCurrentA", "Current"), ("batteryPowerW", "Power (+ charging)"),
        ("batteryStateOfChargePercent", "State of charge"), ("batteryStateOfHealthPercent", "State of health"), ("batteryCycles", "Cycles"),
    ];

    private static readonly Dictionary<string, string> Labels = Known.ToDictionary(k => k.Name, k => k.Label, StringComparer.Ordinal);

    private static readonly Dictionary<string, int> Positions = Known.Select((k, i) => (k.Name, i)).ToDictionary(k => k.Name, k => k.i, StringComparer.Ordinal);

    private static readonly string[] Ac = ["activePowerW", "gridPowerW", "loadPowerW", "gridFrequencyHz"];

    [GeneratedRegex("^l(?<n>[0-9]+)(?<q>VoltageV|CurrentA|PowerW)$")]
    private static partial Regex PhaseMetric();

    [GeneratedRegex("^pv(?<n>[0-9]+)(?<q>VoltageV|CurrentA|PowerW)$")]
    private static partial Regex StringMetric();

    public static IReadOnlyList<ChannelRow> Phases(IReadOnlyDictionary<string, double> values) => Channels(values, PhaseMetric(), "L");

    public static IReadOnlyList<ChannelRow> Strings(IReadOnlyDictionary<string, double> values) => Channels(values, StringMetric(), "PV");

    public static IReadOnlyList<MetricGroup> Singles(IReadOnlyDictionary<string, double> values)
    {
        var ac = new List<(string, string, double)>();
        var temperatures = new List<(string, string, double)>();
        var energy = new List<(string, string, double)>();
        var battery = new List<(string, string, double)>();
        var other = new List<(string, string, double)>();
        foreach (var (name, value) in values.OrderBy(v => Order(v.Key)).ThenBy(v => v.Key, StringComparer.Ordinal))
        {
            // Per phase and per string in their own tables, the strings' total as that table's last row.
            if (PhaseMetric().IsMatch(name) || StringMetric().IsMatch(name) || name == "pvPowerW")
            {
                continue;
            }
            var entry = (name, Label(name), value);
            var list = name switch
            {
                _ when Ac.Contains(name) => ac,
                _ when name.EndsWith("TemperatureC", StringComparison.Ordinal) => temperatures,
                _ when name.StartsWith("battery", StringComparison.Ordinal) => battery,
                _ when name.EndsWith("Kwh", StringComparison.Ordinal) || name == "generationTimeTodayMin" => energy,
                _ => other,
            };
            list.Add(entry);
        }
        return new List<MetricGroup>
        {
            new("AC", "metrics-ac", ac), new("Temperatures", "metrics-temperatures", temperatures),
            new("Energy", "metrics-energy", energy), new("Battery", "metrics-battery", battery), new("Other", "metrics-other", other),
        }.Where(g => g.Metrics.Count > 0).ToList();
    }

    public static string Label(string name) => Labels.GetValueOrDefault(name, name);

    /// <summary>A metric's value with the unit its name ends with; power as the dashboards write it.</summary>
    public static string Value(string name, double value)
    {
        if (name.EndsWith("PowerW", StringComparison.Ordinal) || name == "exportLimitW")
        {
            return Units.Power(value);
        }
        var unit = Unit(name);
        return value.ToString("0.##", CultureInfo.InvariantCulture) + (unit.Length == 0 ? "" : " " + unit);
    }

    /// <summary>The unit a metric name ends with (docs/metrics.md); the same table as unitOf in js/format.js.</summary>
    public static string Unit(string name) =>
        name.EndsWith("Percent", StringComparison.Ordinal) ? "%"
        : name.EndsWith("Kwh", StringComparison.Ordinal) ? "kWh"
        : name.EndsWith("Kohm", StringComparison.Ordinal) ? "kΩ"
        : name.EndsWith("Min", StringComparison.Ordinal) ? "min"
        : name.EndsWith("Hz", StringComparison.Ordinal) ? "Hz"
        : name.EndsWith('W') ? "W"
        : name.EndsWith('V') ? "V"
        : name.EndsWith('A') ? "A"
        : name.EndsWith('C') ? "°C"
        : "";

    private static int Order(string name) => Positions.GetValueOrDefault(name, int.MaxValue);

    private static List<ChannelRow> Channels(IReadOnlyDictionary<string, double> values, Regex pattern, string prefix)
    {
        var rows = new SortedDictionary<int, (double? V, double? A, double? W)>();
        foreach (var (name, value) in values)
        {
            if (pattern.Match(name) is not { Success: true } m)
            {
                continue;
            }
            var n = int.Parse(m.Groups["n"].ValueSpan, CultureInfo.InvariantCulture);
            var row = rows.GetValueOrDefault(n);
            rows[n] = m.Groups["q"].Value switch
            {
                "VoltageV" => row with { V = value },
                "CurrentA" => row with { A = value },
                _ => row with { W = value },
            };
        }
        return rows.Select(r => new ChannelRow(prefix + r.Key.ToString(CultureInfo.InvariantCulture), r.Value.V, r.Value.A, r.Value.W)).ToList();
    }
}
