using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helio.Protocols.RegisterMaps;

// The shape of the register map data files (sofar-*.json). Read once per process; RegisterMap compiles them.

internal sealed record RegisterMapFile(
    string Id,
    string Name,
    string Function,
    byte Unit,
    int MaxBlockRegisters,
    int MaxGap,
    string[] Holes,
    AsciiFieldFile? SerialNumber,
    StateFieldFile State,
    FaultFieldFile Faults,
    RegisterFieldFile[] Registers,
    DerivedFieldFile[] Derived,
    SettingFieldFile[] Settings,
    OperationFieldFile[]? Operations)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public static T Load<T>(string resource)
    {
        using var stream = typeof(RegisterMapFile).Assembly.GetManifestResourceStream("Helio.RegisterMaps." + resource)
            ?? throw new InvalidOperationException($"Register map resource {resource} is not embedded.");
        return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidDataException($"{resource} is empty.");
    }

    public static ushort Address(string hex, string where) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var address)
            ? address
            : throw new InvalidDataException($"{where}: address '{hex}' is not a hexadecimal register address like 0x0404.");
}

internal sealed record AsciiFieldFile(string Address, int Count);

internal sealed record StateFieldFile(string Address, Dictionary<string, string> Values);

internal sealed record FaultFieldFile(string Address, int Count, string Table);

internal sealed record RegisterFieldFile(string Address, string Type, double Scale, string Metric, string? WordOrder);

internal sealed record DerivedFieldFile(string Metric, string[] SumOf, string? Why);

internal sealed record SettingFieldFile(string Name, string Address, string Type, double Scale, string? Unit, double Min, double Max, bool Dangerous, string? Description);

internal sealed record OperationFieldFile(string Name, string? Description, OperationWriteFile[] Writes);

internal sealed record OperationWriteFile(string Setting, double? Fixed);

internal sealed record FaultFile(int Id, string Name, string Text, string Severity, string Action);
