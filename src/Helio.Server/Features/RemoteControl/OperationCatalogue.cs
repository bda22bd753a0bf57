using System.Globalization;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Alarms;
using Helio.Server.Features.Devices;
using Helio.Server.Platform.Http;

namespace Helio.Server.Features.RemoteControl;

/// <summary>What an operation writes: fixed when it is requested, so an approver approves exactly what is sent.</summary>
internal sealed record WritePlan(string Setting, double? Value, ushort Address, ushort[] Registers, bool Dangerous, SettingDefinition? ValueSetting);

/// <summary>
/// What can be written on a device: the settings and named operations of its register map, validated against the
/// map's ranges. The named operations the Access issue asks for are known here; a map supports one only by listing
/// it, because a register the protocol notes do not document is never guessed (ADR 0020).
/// </summary>
internal static class OperationCatalogue
{
    /// <summary>The named operations Helio knows, in the order the device page lists them.</summary>
    public static readonly IReadOnlyList<(string Name, string Title)> Named =
    [
        ("exportLimit", "Export / power limit"),
        ("switchOn", "Switch on"),
        ("switchOff", "Switch off"),
        ("timeSync", "Time sync"),
    ];

    /// <summary>The register map the device's writes follow: an inverter's by its model (the gateway reads G3); a logger has none.</summary>
    public static RegisterMap? MapFor(DeviceKind kind, string? model) => kind == DeviceKind.Inverter ? FaultCatalogue.MapFor(model) : null;

    /// <summary>Why a named operation the map does not list is unavailable.</summary>
    public static string Unsupported(RegisterMap map, string name) =>
        $"Not available: the {map.Id} register map documents no register for {name}, and Helio does not guess registers.";

    /// <summary>The write for <paramref name="setting"/> = <paramref name="value"/>, or null with the reasons in <paramref name="validation"/>.</summary>
    public static WritePlan? Plan(RegisterMap? map, string? setting, double? value, Validation validation)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            validation.Add("setting", "Required.");
            return null;
        }
        if (map is null || (map.Settings.Count == 0 && map.Operations.Count == 0))
        {
            validation.Add("setting", "This device has no writable settings: operate the inverter, not its logger, on a model whose register map documents settings.");
            return null;
        }
        var name = setting.Trim();
        if (map.Settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } single)
        {
            return Encode(single.Name, value, single.Address, [new OperationWrite(single, null)], single.Dangerous, single, validation,
                (double v, out ushort[] registers) => { registers = new ushort[1]; return single.TryEncode(v, out registers[0]); });
        }
        if (map.Operations.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)) is { } operation)
        {
            return Encode(operation.Name, value, operation.Address, operation.Writes, operation.Dangerous, operation.ValueSetting, validation,
                (double v, out ushort[] registers) => operation.TryEncode(v, out registers));
        }
        if (Named.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            validation.Add("setting", Unsupported(map, name));
            return null;
        }
        var known = map.Settings.Select(s => s.Name).Concat(map.Operations.Select(o => o.Name));
        validation.Add("setting", $"Not a setting of this device. It has: {string.Join(", ", known)}.");
        return null;
    }

    private delegate bool Encoder(double value, out ushort[] registers);

    private static WritePlan? Encode(string name, double? value, ushort address, IReadOnlyList<OperationWrite> writes, bool dangerous,
        SettingDefinition? valueSetting, Validation validation, Encoder encode)
    {
        ushort[] registers;
        if (valueSetting is null)
        {
            // Every register fixed (a switch): the value is not needed, and ignored.
            registers = [.. writes.Select(w => w.Setting.TryEncode(w.Fixed!.Value, out var raw) ? raw : throw new InvalidOperationException("The map's loader checks fixed values."))];
            return new WritePlan(name, null, address, registers, dangerous, null);
        }
        if (value is not { } wanted)
        {
            validation.Add("value", "Required.");
            return null;
        }
        if (!double.IsFinite(wanted) || wanted < valueSetting.Min || wanted > valueSetting.Max)
        {
            validation.Add("value", $"Must be between {Number(valueSetting.Min)} and {Number(valueSetting.Max)}{Unit(valueSetting)}.");
            return null;
        }
        if (!encode(wanted, out registers))
        {
            validation.Add("value", $"Must be a multiple of {Number(valueSetting.Step)}{Unit(valueSetting)}.");
            return null;
        }
        return new WritePlan(name, wanted, address, registers, dangerous, valueSetting);
    }

    /// <summary>Register values as stored: decimal, comma-separated.</summary>
    public static string Format(IEnumerable<ushort> registers) => string.Join(",", registers.Select(r => r.ToString(CultureInfo.InvariantCulture)));

    public static ushort[] Parse(string registers) =>
        [.. registers.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => ushort.Parse(r, NumberStyles.None, CultureInfo.InvariantCulture))];

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Unit(SettingDefinition setting) => setting.Unit.Length == 0 ? "" : " " + setting.Unit;
}
