using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Alarms;

/// <summary>What a fault ID means on a device's model: text, severity and suggested action from its register map.</summary>
public static class FaultCatalogue
{
    /// <summary>The map for a device's model (as the owner registered it): the KTL-X family by name, otherwise the
    /// G3 map, which is what the gateway reads.</summary>
    public static RegisterMap MapFor(string? model) =>
        model is not null && model.Replace("-", "", StringComparison.Ordinal).Contains("KTLX", StringComparison.OrdinalIgnoreCase) && !model.Contains("G3", StringComparison.OrdinalIgnoreCase)
            ? RegisterMap.SofarKtlx
            : RegisterMap.SofarG3;

    public static FaultDefinition Describe(string? model, int id) =>
        MapFor(model).Faults.TryGetValue(id, out var known)
            ? known
            : new FaultDefinition(id, $"ID{id:D2}", $"Fault ID{id:D2} (not in the {MapFor(model).Name} table)", FaultSeverity.Recoverable,
                "Look the fault ID up in the inverter's manual, or ask your installer.");

    /// <summary>Permanent faults stop the inverter until serviced: critical. Recoverable ones stop it for a while: major.</summary>
    public static AlarmSeverity SeverityOf(FaultDefinition fault) =>
        fault.Severity == FaultSeverity.Permanent ? AlarmSeverity.Critical : AlarmSeverity.Major;

    public static string Code(int id) => $"ID{id:D2}";
}
