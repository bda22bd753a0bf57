namespace Helio.Protocols.RegisterMaps;

/// <summary>
/// A writable register the map marks as a setting: its range in engineering units (<see cref="Min"/> to
/// <see cref="Max"/>, in <see cref="Unit"/>), its resolution (<see cref="Step"/>, the register's scale), and whether a
/// change is <see cref="Dangerous"/> enough to need a second person's approval. One 16-bit register each.
/// </summary>
public sealed record SettingDefinition(
    string Name, ushort Address, RegisterType Type, double Scale, string Unit, double Min, double Max, bool Dangerous, string Description)
{
    /// <summary>The smallest change the register can hold, in <see cref="Unit"/>.</summary>
    public double Step => Scale;

    /// <summary>
    /// The register value for <paramref name="value"/>: false when it is outside <see cref="Min"/>…<see cref="Max"/>,
    /// not a whole number of <see cref="Step"/>s, or does not fit the register.
    /// </summary>
    public bool TryEncode(double value, out ushort raw)
    {
        raw = 0;
        if (!double.IsFinite(value) || value < Min || value > Max)
        {
            return false;
        }
        var steps = value / Scale;
        var whole = Math.Round(steps);
        // Decimal steps (0.1) are not exact in binary: accept what is a whole number of steps but for rounding.
        if (Math.Abs(steps - whole) > 1e-6 * Math.Max(1, Math.Abs(whole)))
        {
            return false;
        }
        switch (Type)
        {
            case RegisterType.U16 when whole is >= ushort.MinValue and <= ushort.MaxValue:
                raw = (ushort)whole;
                return true;
            case RegisterType.S16 when whole is >= short.MinValue and <= short.MaxValue:
                raw = unchecked((ushort)(short)whole);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The value in <see cref="Unit"/> that register value <paramref name="raw"/> stands for.</summary>
    public double Decode(ushort raw) => (Type == RegisterType.S16 ? unchecked((short)raw) : raw) * Scale;

    /// <summary>True when <paramref name="raw"/> is a value this setting may hold (the inverter's side of the check).</summary>
    public bool Accepts(ushort raw)
    {
        var value = Decode(raw);
        return value >= Min - (Scale / 2) && value <= Max + (Scale / 2);
    }
}

/// <summary>One register of a named operation: a setting, set to a fixed value or to the operation's value.</summary>
public sealed record OperationWrite(SettingDefinition Setting, double? Fixed);

/// <summary>
/// A named operation the map supports (for example "exportLimit": export limitation on, and the limit): settings on
/// consecutive registers written together in one write-multiple, so the inverter never holds half of it. At most one
/// of them takes the operation's value; the others are fixed.
/// </summary>
public sealed record OperationDefinition(string Name, string Description, IReadOnlyList<OperationWrite> Writes)
{
    /// <summary>The first register written.</summary>
    public ushort Address => Writes[0].Setting.Address;

    /// <summary>The setting that takes the operation's value; null when the operation needs none.</summary>
    public SettingDefinition? ValueSetting => Writes.FirstOrDefault(w => w.Fixed is null)?.Setting;

    /// <summary>Dangerous when any setting it writes is.</summary>
    public bool Dangerous => Writes.Any(w => w.Setting.Dangerous);

    /// <summary>The register values for <paramref name="value"/> (ignored when the operation takes none); false when it does not encode.</summary>
    public bool TryEncode(double? value, out ushort[] registers)
    {
        registers = new ushort[Writes.Count];
        for (var i = 0; i < Writes.Count; i++)
        {
            var write = Writes[i];
            if ((write.Fixed ?? value) is not { } wanted || !write.Setting.TryEncode(wanted, out registers[i]))
            {
                return false;
            }
        }
        return true;
    }
}
