namespace Helio.Protocols.RegisterMaps;

internal enum FieldKind : byte
{
    Value,
    State,
    Faults,
}

/// <summary>A register (or run of registers) the map reads, before it is placed in a block.</summary>
internal readonly record struct PlannedField(ushort Address, int Width, FieldKind Kind, RegisterType Type, double Scale, Metric Metric);

/// <summary>A field placed in a block: <see cref="Offset"/> registers from the block's start.</summary>
internal readonly record struct BlockField(int Offset, int Width, FieldKind Kind, RegisterType Type, double Scale, Metric Metric);

/// <summary>One read request of a poll: <see cref="Count"/> registers from <see cref="Start"/>.</summary>
public sealed class RegisterBlock
{
    internal RegisterBlock(ushort start, ushort count, BlockField[] fields)
    {
        Start = start;
        Count = count;
        Fields = fields;
    }

    public ushort Start { get; }

    public ushort Count { get; }

    internal BlockField[] Fields { get; }

    public override string ToString() => $"0x{Start:X4}+{Count}";
}

/// <summary>
/// Splits a map's registers into read blocks: consecutive registers share a block while it stays within the
/// model's block size, the gap to the next register is small (reading a few unused registers is cheaper than
/// another request), and no known hole (an address that answers "illegal data address") lies inside.
/// </summary>
internal static class ReadPlanner
{
    public static IReadOnlyList<RegisterBlock> Plan(IEnumerable<PlannedField> fields, IReadOnlySet<ushort> holes, int maxBlock, int maxGap, string where)
    {
        var sorted = fields.OrderBy(f => f.Address).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Address < sorted[i - 1].Address + sorted[i - 1].Width)
            {
                throw new InvalidDataException($"{where}: registers at 0x{sorted[i - 1].Address:X4} and 0x{sorted[i].Address:X4} overlap.");
            }
        }
        foreach (var field in sorted)
        {
            if (Enumerable.Range(field.Address, field.Width).Any(a => holes.Contains((ushort)a)))
            {
                throw new InvalidDataException($"{where}: the register at 0x{field.Address:X4} lies on a known hole.");
            }
            if (field.Width > maxBlock)
            {
                throw new InvalidDataException($"{where}: the field at 0x{field.Address:X4} is wider than a block.");
            }
        }

        var blocks = new List<RegisterBlock>();
        var current = new List<PlannedField>();
        foreach (var field in sorted)
        {
            if (current.Count > 0)
            {
                var start = current[0].Address;
                var end = current[^1].Address + current[^1].Width;
                var fits = field.Address + field.Width - start <= maxBlock
                    && field.Address - end <= maxGap
                    && !Enumerable.Range(end, field.Address - end).Any(a => holes.Contains((ushort)a));
                if (!fits)
                {
                    blocks.Add(Close(current));
                    current.Clear();
                }
            }
            current.Add(field);
        }
        if (current.Count > 0)
        {
            blocks.Add(Close(current));
        }
        return blocks;
    }

    private static RegisterBlock Close(List<PlannedField> fields)
    {
        var start = fields[0].Address;
        var count = fields[^1].Address + fields[^1].Width - start;
        return new RegisterBlock(start, (ushort)count, [.. fields.Select(f => new BlockField(f.Address - start, f.Width, f.Kind, f.Type, f.Scale, f.Metric))]);
    }
}
