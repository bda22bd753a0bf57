using System.Buffers.Binary;
using System.Text;
using Helio.Protocols.Modbus;

namespace Helio.Protocols.RegisterMaps;

/// <summary>
/// A model's register map, compiled from its data file: the read plan (blocks to poll) and how each block's
/// registers decode into an <see cref="InverterReading"/>. Decoding reads straight from the Modbus reply's
/// big-endian bytes and allocates nothing.
/// </summary>
public sealed class RegisterMap
{
    public static RegisterMap SofarG3 { get; } = Load("sofar-g3.json");

    public static RegisterMap SofarKtlx { get; } = Load("sofar-ktlx.json");

    public static IReadOnlyList<RegisterMap> All { get; } = [SofarG3, SofarKtlx];

    private readonly InverterState[] states;
    private readonly DerivedMetric[] derived;

    private RegisterMap(RegisterMapFile file, IEnumerable<FaultDefinition> faults)
    {
        var where = file.Id;
        Id = file.Id;
        Name = file.Name;
        Function = file.Function switch
        {
            "holding" => ModbusFunction.ReadHoldingRegisters,
            "input" => ModbusFunction.ReadInputRegisters,
            _ => throw new InvalidDataException($"{where}: function must be holding or input."),
        };
        Unit = file.Unit;
        Faults = faults.ToDictionary(f => f.Id);
        Settings = [.. file.Settings.Select(s => Setting(s, where))];
        Operations = [.. (file.Operations ?? []).Select(o => Operation(o, Settings, where))];

        states = new InverterState[file.State.Values.Keys.Select(int.Parse).DefaultIfEmpty(0).Max() + 1];
        foreach (var (value, name) in file.State.Values)
        {
            states[int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)] = Enum.TryParse<InverterState>(name, ignoreCase: true, out var state)
                ? state
                : throw new InvalidDataException($"{where}: state '{name}' is not one of {string.Join(", ", Enum.GetNames<InverterState>())}.");
        }
        derived = [.. file.Derived.Select(d => new DerivedMetric(ParseMetric(d.Metric, where), [.. d.SumOf.Select(m => ParseMetric(m, where))]))];

        var fields = new List<PlannedField>
        {
            new(RegisterMapFile.Address(file.State.Address, where), 1, FieldKind.State, RegisterType.U16, 1, default),
            new(RegisterMapFile.Address(file.Faults.Address, where), file.Faults.Count, FieldKind.Faults, RegisterType.U16, 1, default),
        };
        foreach (var r in file.Registers)
        {
            var type = ParseType(r.Type, r.WordOrder, where);
            fields.Add(new(RegisterMapFile.Address(r.Address, where), Width(type), FieldKind.Value, type, r.Scale, ParseMetric(r.Metric, where)));
        }
        var holes = file.Holes.Select(h => RegisterMapFile.Address(h, where)).ToHashSet();
        Plan = ReadPlanner.Plan(fields, holes, file.MaxBlockRegisters, file.MaxGap, where);
        if (file.SerialNumber is { } serial)
        {
            SerialNumber = new RegisterBlock(RegisterMapFile.Address(serial.Address, where), (ushort)serial.Count, []);
        }
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The Modbus function the map's registers are read with.</summary>
    public ModbusFunction Function { get; }

    /// <summary>The Modbus unit address the inverter answers on.</summary>
    public byte Unit { get; }

    /// <summary>The blocks one poll reads, in address order; none crosses a known hole.</summary>
    public IReadOnlyList<RegisterBlock> Plan { get; }

    /// <summary>The registers holding the inverter's serial number (ASCII), when the model has them.</summary>
    public RegisterBlock? SerialNumber { get; }

    public IReadOnlyDictionary<int, FaultDefinition> Faults { get; }

    /// <summary>The writable registers the map marks as settings (PROTOCOLS.md names few; none are guessed).</summary>
    public IReadOnlyList<SettingDefinition> Settings { get; }

    /// <summary>Named operations made of settings written together (for example "exportLimit").</summary>
    public IReadOnlyList<OperationDefinition> Operations { get; }

    /// <summary>Decodes the reply to <see cref="Plan"/>[<paramref name="blockIndex"/>]: its registers as big-endian bytes.</summary>
    public void Decode(int blockIndex, ReadOnlySpan<byte> registers, ref InverterReading reading)
    {
        var block = Plan[blockIndex];
        if (registers.Length < block.Count * 2)
        {
            throw new ArgumentException($"Block {blockIndex} has {block.Count} registers; the reply carries {registers.Length / 2}.", nameof(registers));
        }
        foreach (ref readonly var field in block.Fields.AsSpan())
        {
            var at = registers[(field.Offset * 2)..];
            switch (field.Kind)
            {
                case FieldKind.Value:
                    reading.Set(field.Metric, Raw(at, field.Type) * field.Scale);
                    break;
                case FieldKind.State:
                    var raw = BinaryPrimitives.ReadUInt16BigEndian(at);
                    reading.RawState = raw;
                    reading.State = raw < states.Length ? states[raw] : InverterState.Unknown;
                    break;
                case FieldKind.Faults:
                    for (var word = 0; word < field.Width; word++)
                    {
                        var bits = BinaryPrimitives.ReadUInt16BigEndian(at[(word * 2)..]);
                        while (bits != 0)
                        {
                            reading.Faults.Add((word * 16) + System.Numerics.BitOperations.TrailingZeroCount(bits) + 1);
                            bits &= (ushort)(bits - 1);
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>Adds the metrics the map derives from others (for example total PV power), once every block is decoded.</summary>
    public void Complete(ref InverterReading reading)
    {
        foreach (var d in derived)
        {
            var sum = 0.0;
            var complete = true;
            foreach (var input in d.SumOf)
            {
                complete &= reading.TryGet(input, out var value);
                sum += value;
            }
            if (complete)
            {
                reading.Set(d.Metric, sum);
            }
        }
    }

    /// <summary>The serial number in the reply to <see cref="SerialNumber"/>: two ASCII characters per register, padding trimmed.</summary>
    public static string DecodeAscii(ReadOnlySpan<byte> registers) => Encoding.ASCII.GetString(registers).Trim('\0', ' ');

    private static double Raw(ReadOnlySpan<byte> at, RegisterType type) => type switch
    {
        RegisterType.U16 => BinaryPrimitives.ReadUInt16BigEndian(at),
        RegisterType.S16 => BinaryPrimitives.ReadInt16BigEndian(at),
        RegisterType.U32 => BinaryPrimitives.ReadUInt32BigEndian(at),
        RegisterType.S32 => BinaryPrimitives.ReadInt32BigEndian(at),
        RegisterType.U32LowFirst => BinaryPrimitives.ReadUInt16BigEndian(at) | ((uint)BinaryPrimitives.ReadUInt16BigEndian(at[2..]) << 16),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static int Width(RegisterType type) => type is RegisterType.U16 or RegisterType.S16 ? 1 : 2;

    private static RegisterMap Load(string resource)
    {
        var file = RegisterMapFile.Load<RegisterMapFile>(resource);
        var faults = RegisterMapFile.Load<FaultFile[]>(file.Faults.Table).Select(f => new FaultDefinition(
            f.Id, f.Name, f.Text,
            Enum.TryParse<FaultSeverity>(f.Severity, ignoreCase: true, out var severity) ? severity : throw new InvalidDataException($"{file.Faults.Table}: ID {f.Id} has severity '{f.Severity}'."),
            f.Action));
        return new RegisterMap(file, faults);
    }

    private static SettingDefinition Setting(SettingFieldFile s, string where)
    {
        var type = ParseType(s.Type, null, where);
        if (type is not (RegisterType.U16 or RegisterType.S16))
        {
            throw new InvalidDataException($"{where}: setting '{s.Name}' is {s.Type}; settings are one register (U16 or S16).");
        }
        var setting = new SettingDefinition(s.Name, RegisterMapFile.Address(s.Address, where), type, s.Scale, s.Unit ?? "", s.Min, s.Max, s.Dangerous, s.Description ?? "");
        if (!(s.Scale > 0) || s.Min > s.Max || !setting.TryEncode(s.Min, out _) || !setting.TryEncode(s.Max, out _))
        {
            throw new InvalidDataException($"{where}: setting '{s.Name}' needs a positive scale and a range whose ends the register can hold.");
        }
        return setting;
    }

    private static OperationDefinition Operation(OperationFieldFile o, IReadOnlyList<SettingDefinition> settings, string where)
    {
        var writes = o.Writes.Select(w => new OperationWrite(
            settings.FirstOrDefault(s => s.Name == w.Setting) ?? throw new InvalidDataException($"{where}: operation '{o.Name}' writes '{w.Setting}', which is not a setting of the map."),
            w.Fixed)).ToList();
        // One write-multiple: consecutive registers in address order, at most one taking the operation's value.
        var consecutive = writes.Count > 0 && writes.Select((w, i) => w.Setting.Address - i).Distinct().Count() == 1;
        if (!consecutive || writes.Count(w => w.Fixed is null) > 1 || writes.Any(w => w.Fixed is { } f && !w.Setting.TryEncode(f, out _)))
        {
            throw new InvalidDataException($"{where}: operation '{o.Name}' must write consecutive settings in address order, valid fixed values, and at most one value.");
        }
        return new OperationDefinition(o.Name, o.Description ?? "", writes);
    }

    private static RegisterType ParseType(string type, string? wordOrder, string where) => (type, wordOrder) switch
    {
        ("U16", null) => RegisterType.U16,
        ("S16", null) => RegisterType.S16,
        ("U32", null or "highFirst") => RegisterType.U32,
        ("U32", "lowFirst") => RegisterType.U32LowFirst,
        ("S32", null or "highFirst") => RegisterType.S32,
        _ => throw new InvalidDataException($"{where}: type '{type}' (word order '{wordOrder}') is not U16, S16, U32 or S32 (high word first, or U32 lowFirst)."),
    };

    private static Metric ParseMetric(string name, string where) =>
        Metrics.TryParse(name, out var metric) ? metric : throw new InvalidDataException($"{where}: '{name}' is not a canonical metric (docs/metrics.md).");

    private sealed record DerivedMetric(Metric Metric, Metric[] SumOf);
}
