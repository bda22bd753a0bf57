using Helio.Protocols.RegisterMaps;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// How each <see cref="Metric"/> is stored in a reading row: a column of scaled integers in the metric's natural
/// resolution (W, 0.1 V, 0.01 A, 0.01 Hz, 0.01 kWh, 0.1 °C…). SQLite stores a small integer in 1–4 bytes where a
/// double takes 8, and no register of any map is finer than these, so nothing a logger sends is lost.
/// </summary>
internal static class MetricColumns
{
    /// <summary>Column name per metric, in vocabulary order: snake_case of its JSON name (active_power_w).</summary>
    public static readonly string[] Names = Enum.GetValues<Metric>().Select(m => SnakeCase(Metrics.Name(m))).ToArray();

    /// <summary>Stored value = round(value × scale).</summary>
    public static readonly double[] Scales = Enum.GetValues<Metric>().Select(m => ScaleOf(Metrics.Name(m))).ToArray();

    /// <summary>Lifetime counters may pass 2^31 hundredths of a kWh (21 GWh); they get 64-bit columns, the rest 32-bit.</summary>
    public static readonly bool[] Wide = Enum.GetValues<Metric>().Select(m => Metrics.Name(m).EndsWith("TotalKwh", StringComparison.Ordinal)).ToArray();

    public static long ToStored(Metric metric, double value) => (long)Math.Round(value * Scales[(int)metric], MidpointRounding.AwayFromZero);

    /// <summary>The reading's value for the column, or false when it has none or one the column cannot hold (a
    /// garbage register: stored as absent on both databases alike, never wrapped).</summary>
    public static bool TryGetStored(in InverterReading reading, Metric metric, out long stored)
    {
        stored = 0;
        if (!reading.TryGet(metric, out var value) || !double.IsFinite(value) || !Fits(metric, value))
        {
            return false;
        }
        stored = ToStored(metric, value);
        return true;
    }

    public static double FromStored(Metric metric, long stored) => stored / Scales[(int)metric];

    /// <summary>False for a value the column cannot hold (ingest refuses it rather than wrapping it).</summary>
    public static bool Fits(Metric metric, double value)
    {
        var scaled = value * Scales[(int)metric];
        return Wide[(int)metric] ? Math.Abs(scaled) < 9e15 : scaled is > int.MinValue and < int.MaxValue;
    }

    private static double ScaleOf(string name) => name switch
    {
        _ when name.EndsWith("Kwh", StringComparison.Ordinal) => 100,
        _ when name.EndsWith("Hz", StringComparison.Ordinal) => 100,
        _ when name.EndsWith("CurrentA", StringComparison.Ordinal) => 100,
        _ when name.EndsWith("VoltageV", StringComparison.Ordinal) => 10,
        _ when name.EndsWith("TemperatureC", StringComparison.Ordinal) => 10,
        _ when name.EndsWith("Percent", StringComparison.Ordinal) => 10,
        _ => 1, // W, min, kΩ, cycles
    };

    private static string SnakeCase(string camel)
    {
        var builder = new System.Text.StringBuilder(camel.Length + 4);
        foreach (var c in camel)
        {
            if (char.IsUpper(c))
            {
                builder.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
