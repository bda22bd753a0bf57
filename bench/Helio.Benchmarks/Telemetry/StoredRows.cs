using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;

namespace Helio.Benchmarks.Telemetry;

/// <summary>
/// The benchmark's readings already in stored form (device number, ms, state, scaled integers), for the baselines:
/// the fastest plain way to write a row starts from its column values, so turning a decoded reading into them is
/// counted against the store, not the baseline. Device numbers are 1..N in the order of first appearance, as a
/// fresh store numbers them.
/// </summary>
internal sealed class StoredRows
{
    public const int Columns = Metrics.Count;

    public StoredRows(IReadOnlyList<TelemetryReading> readings)
    {
        Count = readings.Count;
        Device = new int[Count];
        At = new long[Count];
        State = new short[Count];
        RawState = new int[Count];
        Values = new long[Count * Columns];
        Present = new ulong[Count];
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Count; i++)
        {
            var reading = readings[i];
            if (!numbers.TryGetValue(reading.InverterSerial, out var number))
            {
                numbers[reading.InverterSerial] = number = numbers.Count + 1;
            }
            Device[i] = number;
            At[i] = reading.AtMs;
            State[i] = (short)reading.Reading.State;
            RawState[i] = reading.Reading.RawState;
            for (var m = 0; m < Columns; m++)
            {
                if (reading.Reading.TryGet((Metric)m, out var value))
                {
                    Values[(i * Columns) + m] = MetricColumns.ToStored((Metric)m, value);
                    Present[i] |= 1UL << m;
                    ValueCount++;
                }
            }
        }
    }

    public int Count { get; }
    public int[] Device { get; }
    public long[] At { get; }
    public short[] State { get; }
    public int[] RawState { get; }
    public long[] Values { get; }
    public ulong[] Present { get; }

    /// <summary>Non-null metric values over all rows.</summary>
    public long ValueCount { get; }

    public bool Has(int row, int metric) => (Present[row] & (1UL << metric)) != 0;

    public long Value(int row, int metric) => Values[(row * Columns) + metric];
}
