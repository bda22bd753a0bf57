using System.Runtime.CompilerServices;

namespace Helio.Protocols.RegisterMaps;

/// <summary>
/// One poll of one inverter, decoded: values by canonical <see cref="Metric"/> (only those the model has),
/// the state and the active fault IDs. A value type with fixed storage: decoding allocates nothing.
/// </summary>
public struct InverterReading
{
    private Values values;
    private ulong present;

    public InverterState State { get; set; }

    /// <summary>The model's raw state value, kept for explanations and unknown values.</summary>
    public ushort RawState { get; set; }

    public FaultSet Faults;

    public readonly bool Has(Metric metric) => (present & (1UL << (int)metric)) != 0;

    public readonly bool TryGet(Metric metric, out double value)
    {
        value = values[(int)metric];
        return Has(metric);
    }

    public readonly double? this[Metric metric] => Has(metric) ? values[(int)metric] : null;

    public void Set(Metric metric, double value)
    {
        values[(int)metric] = value;
        present |= 1UL << (int)metric;
    }

    /// <summary>The metrics present, in vocabulary order (allocates: for APIs and tests, not the hot path).</summary>
    public readonly IEnumerable<(Metric Metric, double Value)> All()
    {
        var list = new List<(Metric, double)>();
        for (var m = 0; m < Metrics.Count; m++)
        {
            if (Has((Metric)m))
            {
                list.Add(((Metric)m, values[m]));
            }
        }
        return list;
    }

    [InlineArray(Metrics.Count)]
    private struct Values
    {
        private double element;
    }
}
