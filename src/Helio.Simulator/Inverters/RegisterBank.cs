using Helio.Protocols.Modbus;

namespace Helio.Simulator.Inverters;

/// <summary>
/// An inverter's registers: a few address windows (not all 65,536 addresses, so that thousands of simulated
/// inverters stay small). Reads outside a window, or of a known hole, answer "illegal data address" as a real
/// inverter does; only the settings window is writable, and a write a <see cref="WriteCheck"/> refuses is not made.
/// </summary>
public sealed class RegisterBank
{
    private readonly Window[] windows;
    private readonly HashSet<ushort> holes;

    public RegisterBank(IEnumerable<(ushort Start, int Count, bool Writable)> windows, IEnumerable<ushort> holes)
    {
        this.windows = [.. windows.Select(w => new Window(w.Start, new ushort[w.Count], w.Writable))];
        this.holes = [.. holes];
    }

    /// <summary>
    /// Judges each register of a write before any is made: <see cref="ModbusException.None"/> to accept it, otherwise
    /// the exception to answer (a value out of range, an address that is no setting). Null accepts everything.
    /// </summary>
    public Func<ushort, ushort, ModbusException>? WriteCheck { get; set; }

    public ushort this[int address]
    {
        get => Find(address, 1, out var w) ? w.Values[address - w.Start] : throw new ArgumentOutOfRangeException(nameof(address));
        set
        {
            if (!Find(address, 1, out var w))
            {
                throw new ArgumentOutOfRangeException(nameof(address));
            }
            w.Values[address - w.Start] = value;
        }
    }

    /// <summary>Sets a 32-bit value, high word at the lower address.</summary>
    public void SetU32(int address, uint value)
    {
        this[address] = (ushort)(value >> 16);
        this[address + 1] = (ushort)value;
    }

    public ModbusException Read(ushort start, int count, Span<ushort> destination)
    {
        if (!Find(start, count, out var w) || HasHole(start, count))
        {
            return ModbusException.IllegalDataAddress;
        }
        w.Values.AsSpan(start - w.Start, count).CopyTo(destination);
        return ModbusException.None;
    }

    public ModbusException Write(ushort start, ReadOnlySpan<ushort> values)
    {
        if (!Find(start, values.Length, out var w) || !w.Writable)
        {
            return ModbusException.IllegalDataAddress;
        }
        // All or nothing, as a device does: one refused register refuses the whole write.
        for (var i = 0; WriteCheck is not null && i < values.Length; i++)
        {
            if (WriteCheck((ushort)(start + i), values[i]) is var refused and not ModbusException.None)
            {
                return refused;
            }
        }
        values.CopyTo(w.Values.AsSpan(start - w.Start));
        return ModbusException.None;
    }

    private bool HasHole(int start, int count)
    {
        foreach (var hole in holes)
        {
            if (hole >= start && hole < start + count)
            {
                return true;
            }
        }
        return false;
    }

    private bool Find(int start, int count, out Window window)
    {
        foreach (var w in windows)
        {
            if (start >= w.Start && start + count <= w.Start + w.Values.Length)
            {
                window = w;
                return true;
            }
        }
        window = default;
        return false;
    }

    private readonly record struct Window(ushort Start, ushort[] Values, bool Writable);
}
