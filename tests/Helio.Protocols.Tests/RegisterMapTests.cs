using System.Buffers.Binary;
using System.Text;
using Helio.Protocols.RegisterMaps;

namespace Helio.Protocols.Tests;

public sealed class RegisterMapTests
{
    [Fact]
    public void G3Plan_ReadsEveryRegister_InBlocksOfAtMost60_AroundTheHole()
    {
        var map = RegisterMap.SofarG3;

        Assert.All(map.Plan, b => Assert.InRange(b.Count, 1, 60));
        Assert.DoesNotContain(map.Plan, b => b.Start <= 0x05C4 && 0x05C4 < b.Start + b.Count);
        Assert.Contains(map.Plan, b => b.Start == 0x0404);     // state, faults, temperatures together
        Assert.True(map.Plan.Count <= 6, $"{map.Plan.Count} blocks: {string.Join(", ", map.Plan)}");
        Assert.Equal(0x0445, map.SerialNumber!.Start);
        Assert.Equal(8, map.SerialNumber.Count);
    }

    [Fact]
    public void G3Poll_DecodesScaledSignedAnd32BitValues_StateAndFaults()
    {
        var registers = new Dictionary<int, ushort>
        {
            [0x0404] = 2,                    // on grid
            [0x0405] = 0b0000_0000_0000_0001, // ID01
            [0x040D] = 0b0000_0000_0000_0010, // word 9, bit 1: ID130
            [0x0418] = unchecked((ushort)-5), // ambient −5 °C
            [0x0484] = 5001,                 // 50.01 Hz
            [0x0485] = 523,                  // 5,230 W
            [0x0488] = unchecked((ushort)-100), // −1,000 W at the grid connection point (import)
            [0x048D] = 2304,                 // 230.4 V
            [0x0586] = 300,                  // PV1 3,000 W
            [0x0589] = 250,                  // PV2 2,500 W
            [0x0684] = 1, [0x0685] = 2345,   // (65,536 + 2,345) × 0.01 kWh
            [0x0686] = 1, [0x0687] = 0xE240, // 0x1E240 = 123,456 × 0.1 kWh
        };

        var reading = Poll(RegisterMap.SofarG3, registers);

        Assert.Equal(InverterState.OnGrid, reading.State);
        Assert.Equal([1, 130], reading.Faults.ToArray());
        Assert.Equal(-5, reading[Metric.AmbientTemperatureC]);
        Assert.Equal(50.01, reading[Metric.GridFrequencyHz]!.Value, 6);
        Assert.Equal(5230, reading[Metric.ActivePowerW]);
        Assert.Equal(-1000, reading[Metric.GridPowerW]);
        Assert.Equal(230.4, reading[Metric.L1VoltageV]!.Value, 6);
        Assert.Equal(678.81, reading[Metric.EnergyTodayKwh]!.Value, 6);
        Assert.Equal(12345.6, reading[Metric.EnergyTotalKwh]!.Value, 6);
        Assert.Equal(5500, reading[Metric.PvPowerW]);
        Assert.Equal(0, reading[Metric.BatteryPowerW]); // the G3 map has battery registers; zero here
    }

    [Fact]
    public void KtlxPoll_DecodesItsOwnLayout()
    {
        var registers = new Dictionary<int, ushort> { [0x0000] = 3, [0x0001] = 0b100, [0x000C] = 150, [0x0015] = 0, [0x0016] = 4321, [0x0019] = 1234 };

        var reading = Poll(RegisterMap.SofarKtlx, registers);

        Assert.Equal(InverterState.Alarm, reading.State);
        Assert.Equal([3], reading.Faults.ToArray());
        Assert.Equal(1500, reading[Metric.ActivePowerW]);
        Assert.Equal(4321, reading[Metric.EnergyTotalKwh]);
        Assert.Equal(12.34, reading[Metric.EnergyTodayKwh]!.Value, 6);
        Assert.Null(reading[Metric.BatteryPowerW]);
        Assert.Null(RegisterMap.SofarKtlx.SerialNumber);
    }

    [Fact]
    public void UnknownStateValue_IsUnknown_AndKeptRaw()
    {
        var reading = Poll(RegisterMap.SofarG3, new Dictionary<int, ushort> { [0x0404] = 77 });

        Assert.Equal(InverterState.Unknown, reading.State);
        Assert.Equal(77, reading.RawState);
    }

    [Fact]
    public void SerialNumber_IsAsciiTwoCharactersPerRegister()
    {
        var bytes = new byte[16];
        Encoding.ASCII.GetBytes("SS1ES120P38069").CopyTo(bytes, 0);

        Assert.Equal("SS1ES120P38069", RegisterMap.DecodeAscii(bytes));
    }

    [Fact]
    public void Vocabulary_HasTheRequiredNames_AndFitsThePresenceMask()
    {
        Assert.True(Metrics.Count <= 64);
        Assert.Equal("activePowerW", Metrics.Name(Metric.ActivePowerW));
        Assert.Equal("energyTodayKwh", Metrics.Name(Metric.EnergyTodayKwh));
        Assert.Equal("energyTotalKwh", Metrics.Name(Metric.EnergyTotalKwh));
        Assert.True(Metrics.TryParse("pv1VoltageV", out var pv1) && pv1 == Metric.Pv1VoltageV);
    }

    [Fact]
    public void Faults_HaveTextSeverityAndAction()
    {
        var faults = RegisterMap.SofarG3.Faults;

        Assert.Equal(FaultSeverity.Recoverable, faults[1].Severity);
        Assert.Equal(FaultSeverity.Permanent, faults[129].Severity);
        // PROTOCOLS.md's examples, by their bit positions across the fault words.
        Assert.Equal("Low insulation impedance", faults[42].Text);
        Assert.Contains("relay", faults[144].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("clock", faults[148].Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(faults.Count > 150);
        Assert.NotEmpty(RegisterMap.SofarKtlx.Faults);
        Assert.All(faults.Values, f => Assert.False(string.IsNullOrWhiteSpace(f.Text) || string.IsNullOrWhiteSpace(f.Action)));
    }

    [Fact]
    public void Settings_CarryTheirRanges()
    {
        var exportLimit = Assert.Single(RegisterMap.SofarG3.Settings, s => s.Name == "exportLimitW");

        Assert.Equal(0x1024, exportLimit.Address);
        Assert.Equal(100, exportLimit.Scale);
        Assert.False(exportLimit.Dangerous);
    }

    /// <summary>Reads every block of the map's plan from <paramref name="registers"/> (others zero) and decodes them.</summary>
    internal static InverterReading Poll(RegisterMap map, IReadOnlyDictionary<int, ushort> registers)
    {
        var reading = new InverterReading();
        for (var i = 0; i < map.Plan.Count; i++)
        {
            var block = map.Plan[i];
            var bytes = new byte[block.Count * 2];
            for (var r = 0; r < block.Count; r++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(r * 2), registers.GetValueOrDefault(block.Start + r));
            }
            map.Decode(i, bytes, ref reading);
        }
        map.Complete(ref reading);
        return reading;
    }
}
