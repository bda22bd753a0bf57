using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Telemetry;

namespace Helio.Benchmarks.Alarms;

/// <summary>
/// Inverter faults injected into generated readings: at each reading after the first instant, a device's fault
/// toggles (appears, or goes) with probability <c>permille</c>/1000, decided by a fixed hash of the reading's index,
/// so every run injects the same faults. A faulted device reports one fault ID from the G3 map's table (its own, by
/// its index) in every reading until the fault goes. What the evaluator must then have done is counted here.
/// </summary>
internal sealed class FaultPlan
{
    private FaultPlan(bool[] appears, int appearCount, int clearCount, int openAtEnd)
    {
        Appears = appears;
        AppearCount = appearCount;
        ClearCount = clearCount;
        OpenAtEnd = openAtEnd;
    }

    /// <summary>Per reading after the warm-up instant: a fault appears with it (an alarm to raise or reopen).</summary>
    public bool[] Appears { get; }

    /// <summary>Readings with which a fault appears (raises or reopens, in order).</summary>
    public int AppearCount { get; }

    /// <summary>Readings with which a fault goes (clears, in order).</summary>
    public int ClearCount { get; }

    /// <summary>Devices whose newest reading reports a fault: the active fault alarms there must be at the end.</summary>
    public int OpenAtEnd { get; }

    /// <summary>Injects into <paramref name="all"/> (time-major, <paramref name="devices"/> a instant; the first instant
    /// is the warm-up and stays fault-free).</summary>
    public static FaultPlan Inject(TelemetryReading[] all, int devices, int permille)
    {
        var ids = RegisterMap.SofarG3.Faults.Keys.Order().ToArray();
        var faulted = new bool[devices];
        var appears = new bool[all.Length - devices];
        int appearCount = 0, clearCount = 0;
        for (var i = devices; i < all.Length; i++)
        {
            var d = i % devices;
            if (Hash((ulong)i) % 1000 < (ulong)permille)
            {
                faulted[d] = !faulted[d];
                if (faulted[d])
                {
                    appears[i - devices] = true;
                    appearCount++;
                }
                else
                {
                    clearCount++;
                }
            }
            if (faulted[d])
            {
                var reading = all[i].Reading;
                reading.Faults.Add(ids[d % ids.Length]);
                all[i] = all[i] with { Reading = reading };
            }
        }
        return new FaultPlan(appears, appearCount, clearCount, faulted.Count(f => f));
    }

    /// <summary>The plan of readings already injected (a shorter input): counted from their fault sets.</summary>
    public static FaultPlan Count(TelemetryReading[] all, int devices)
    {
        var faulted = new bool[devices];
        var appears = new bool[all.Length - devices];
        int appearCount = 0, clearCount = 0;
        for (var i = devices; i < all.Length; i++)
        {
            var d = i % devices;
            var now = !all[i].Reading.Faults.IsEmpty;
            if (now != faulted[d])
            {
                faulted[d] = now;
                appears[i - devices] = now;
                appearCount += now ? 1 : 0;
                clearCount += now ? 0 : 1;
            }
        }
        return new FaultPlan(appears, appearCount, clearCount, faulted.Count(f => f));
    }

    /// <summary>SplitMix64's finaliser: a fixed, well-spread hash of the index.</summary>
    private static ulong Hash(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EB;
        return x ^ (x >> 31);
    }
}
