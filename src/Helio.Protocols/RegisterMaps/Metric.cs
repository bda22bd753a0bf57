namespace Helio.Protocols.RegisterMaps;

/// <summary>
/// The canonical measurement vocabulary: every register map decodes to these, whatever the model calls them.
/// The JSON name (<see cref="Metrics.Name"/>) carries the unit as a suffix. Documented in docs/metrics.md.
/// </summary>
public enum Metric : byte
{
    ActivePowerW,
    GridPowerW,
    LoadPowerW,
    PvPowerW,
    Pv1VoltageV,
    Pv1CurrentA,
    Pv1PowerW,
    Pv2VoltageV,
    Pv2CurrentA,
    Pv2PowerW,
    L1VoltageV,
    L1CurrentA,
    L2VoltageV,
    L2CurrentA,
    L3VoltageV,
    L3CurrentA,
    GridFrequencyHz,
    EnergyTodayKwh,
    EnergyTotalKwh,
    GridImportTodayKwh,
    GridImportTotalKwh,
    GridExportTodayKwh,
    GridExportTotalKwh,
    AmbientTemperatureC,
    RadiatorTemperatureC,
    ModuleTemperatureC,
    InnerTemperatureC,
    GenerationTimeTodayMin,
    InsulationResistanceKohm,
    BusVoltageV,
    BatteryVoltageV,
    BatteryCurrentA,
    BatteryPowerW,
    BatteryStateOfChargePercent,
    BatteryStateOfHealthPercent,
    BatteryCycles,
    ExportLimitW,
}

public static class Metrics
{
    public const int Count = (int)Metric.ExportLimitW + 1;

    private static readonly string[] Names = Enum.GetNames<Metric>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]).ToArray();

    private static readonly Dictionary<string, Metric> ByName = Enum.GetValues<Metric>().ToDictionary(m => Names[(int)m], StringComparer.Ordinal);

    /// <summary>The metric's name in JSON, APIs and register maps: camelCase with the unit last, e.g. "activePowerW".</summary>
    public static string Name(Metric metric) => Names[(int)metric];

    public static bool TryParse(string name, out Metric metric) => ByName.TryGetValue(name, out metric);
}
