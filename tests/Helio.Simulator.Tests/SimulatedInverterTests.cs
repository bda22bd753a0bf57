using Helio.Protocols.Modbus;
using Helio.Protocols.RegisterMaps;
using Helio.Simulator.Inverters;

namespace Helio.Simulator.Tests;

public sealed class SimulatedInverterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly SimulatedPlant Munich = new(48.14, 11.58, Berlin, 10);

    [Fact]
    public void AtNoonInJune_ItProduces_AtMidnight_ItWaits()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);

        inverter.Advance(new DateTimeOffset(2026, 6, 21, 11, 15, 0, TimeSpan.Zero));
        var noon = Poll(inverter);
        inverter.Advance(new DateTimeOffset(2026, 6, 21, 23, 0, 0, TimeSpan.Zero));
        var night = Poll(inverter);

        Assert.Equal(InverterState.OnGrid, noon.State);
        Assert.InRange(noon[Metric.ActivePowerW]!.Value, 2500, 10000);
        Assert.InRange(noon[Metric.PvPowerW]!.Value, noon[Metric.ActivePowerW]!.Value, 11000);
        Assert.InRange(noon[Metric.L1VoltageV]!.Value, 220, 240);
        Assert.InRange(noon[Metric.GridFrequencyHz]!.Value, 49.9, 50.1);
        Assert.Equal(InverterState.Waiting, night.State);
        Assert.Equal(0, night[Metric.ActivePowerW]);
    }

    [Fact]
    public void EnergyAccumulates_AndTodayResetsAtLocalMidnight_AlsoBeforeTheDstDay()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 7, index: 3, initialEnergyTotalKwh: 1000);
        // Berlin is UTC+1 on 28 March 2026, so its midnight is 23:00 UTC; on the 29th clocks go forward at 01:00 UTC,
        // making the 29th a 23-hour local day that ends at 22:00 UTC.
        var readings = new SortedDictionary<DateTimeOffset, InverterReading>();
        for (var t = new DateTimeOffset(2026, 3, 28, 4, 0, 0, TimeSpan.Zero); t <= new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero); t = t.AddMinutes(5))
        {
            inverter.Advance(t);
            readings[t] = Poll(inverter);
        }
        double Today(int day, int hour, int minute) => readings[new DateTimeOffset(2026, 3, day, hour, minute, 0, TimeSpan.Zero)][Metric.EnergyTodayKwh]!.Value;
        double Total(int day, int hour, int minute) => readings[new DateTimeOffset(2026, 3, day, hour, minute, 0, TimeSpan.Zero)][Metric.EnergyTotalKwh]!.Value;

        var first = Today(28, 22, 55);
        Assert.InRange(first, 5, 80);                  // a 10 kWp plant on a March day
        Assert.Equal(0, Today(28, 23, 0));             // 00:00 local on the 29th
        var second = Today(29, 21, 55);
        Assert.InRange(second, 5, 80);
        Assert.Equal(0, Today(29, 22, 0));             // 00:00 local on the 30th, after a 23-hour day
        Assert.Equal(first + second, Total(29, 22, 0) - Total(28, 4, 0), 0.3);
    }

    [Fact]
    public void TheSameSeed_GivesTheSameRegisters()
    {
        var a = new SimulatedInverter("SS1ES120P00001", Munich, seed: 42, index: 5);
        var b = new SimulatedInverter("SS1ES120P00001", Munich, seed: 42, index: 5);
        var c = new SimulatedInverter("SS1ES120P00001", Munich, seed: 43, index: 5);
        var at = new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero);

        a.Advance(at);
        b.Advance(at);
        c.Advance(at);

        Assert.Equal(a.ActivePowerW, b.ActivePowerW);
        Assert.NotEqual(a.ActivePowerW, c.ActivePowerW);
    }

    [Fact]
    public void InjectedFaults_ShowInTheFaultWordsAndTheState()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);
        var noon = new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero);

        inverter.RaiseFault(42);
        inverter.Advance(noon);
        var recoverable = Poll(inverter);
        inverter.RaiseFault(129);
        inverter.Advance(noon.AddMinutes(1));
        var permanent = Poll(inverter);

        Assert.Equal([42], recoverable.Faults.ToArray());
        Assert.Equal(InverterState.Fault, recoverable.State);
        Assert.Equal(0, recoverable[Metric.ActivePowerW]);
        Assert.Equal([42, 129], permanent.Faults.ToArray());
        Assert.Equal(InverterState.PermanentFault, permanent.State);
    }

    [Fact]
    public void SerialNumber_ReadsBackThroughTheMap()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);
        var block = RegisterMap.SofarG3.SerialNumber!;

        var (reply, parsed) = Ask(inverter, b => ModbusRtu.WriteReadRequest(b, 1, ModbusFunction.ReadHoldingRegisters, block.Start, block.Count));

        Assert.Equal("SS1ES120P38069", RegisterMap.DecodeAscii(reply.AsSpan(parsed.DataOffset, parsed.DataLength)));
    }

    [Fact]
    public void TheHole_UnmappedAddresses_AndReadOnlyRegisters_AnswerIllegalDataAddress()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);

        var (_, hole) = Ask(inverter, b => ModbusRtu.WriteReadRequest(b, 1, ModbusFunction.ReadHoldingRegisters, 0x05C0, 8));
        var (_, unmapped) = Ask(inverter, b => ModbusRtu.WriteReadRequest(b, 1, ModbusFunction.ReadHoldingRegisters, 0x2000, 1));
        var (_, readOnly) = Ask(inverter, b => ModbusRtu.WriteSingleRegisterRequest(b, 1, 0x0485, 1), ModbusFunction.WriteSingleRegister);

        Assert.All([hole, unmapped, readOnly], r => Assert.Equal(ModbusException.IllegalDataAddress, r.Exception));
    }

    [Fact]
    public void Settings_AreWritable_AndTheWriteIsEchoed()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);

        var (_, echo) = Ask(inverter, b => ModbusRtu.WriteMultipleRegistersRequest(b, 1, 0x1023, [1, 50]), ModbusFunction.WriteMultipleRegisters);

        Assert.Equal(ModbusReplyKind.Data, echo.Kind);
        Assert.Equal(1, inverter.Bank[0x1023]);
        Assert.Equal(50, inverter.Bank[0x1024]);
    }

    [Fact]
    public void AWrittenSetting_IsWhatLaterReadsReturn()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);

        var (_, echo) = Ask(inverter, b => ModbusRtu.WriteSingleRegisterRequest(b, 1, 0x104D, 35), ModbusFunction.WriteSingleRegister);
        inverter.Advance(new DateTimeOffset(2026, 6, 21, 11, 15, 0, TimeSpan.Zero));
        var (reply, read) = Ask(inverter, b => ModbusRtu.WriteReadRequest(b, 1, ModbusFunction.ReadHoldingRegisters, 0x104D, 2));

        Assert.Equal(ModbusReplyKind.Data, echo.Kind);
        Assert.Equal(35, read.Register(reply, 0));
        Assert.Equal(10, read.Register(reply, 1));
    }

    [Fact]
    public void ASettingOutsideItsRange_IsRefusedWithIllegalDataValue_AndNothingChanges()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);

        // Depth of discharge 5 % is below the map's 10 %; the export limit beside it in the same write stays as it was.
        var (_, tooDeep) = Ask(inverter, b => ModbusRtu.WriteSingleRegisterRequest(b, 1, 0x104D, 5), ModbusFunction.WriteSingleRegister);
        var (_, halfBad) = Ask(inverter, b => ModbusRtu.WriteMultipleRegistersRequest(b, 1, 0x1023, [2, 50]), ModbusFunction.WriteMultipleRegisters);
        var (_, noSetting) = Ask(inverter, b => ModbusRtu.WriteSingleRegisterRequest(b, 1, 0x1000, 1), ModbusFunction.WriteSingleRegister);

        Assert.Equal(ModbusException.IllegalDataValue, tooDeep.Exception);
        Assert.Equal(ModbusException.IllegalDataValue, halfBad.Exception);
        Assert.Equal(ModbusException.IllegalDataAddress, noSetting.Exception);
        Assert.Equal(20, inverter.Bank[0x104D]);
        Assert.Equal((0, 0), (inverter.Bank[0x1023], inverter.Bank[0x1024]));
    }

    [Fact]
    public void AnInverterThatRefusesWrites_AnswersTheExceptionOfChoice()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0) { RefuseWrites = ModbusException.SlaveDeviceBusy };

        var (_, busy) = Ask(inverter, b => ModbusRtu.WriteSingleRegisterRequest(b, 1, 0x1024, 30), ModbusFunction.WriteSingleRegister);

        Assert.Equal(ModbusException.SlaveDeviceBusy, busy.Exception);
        Assert.Equal(0, inverter.Bank[0x1024]);
    }

    [Fact]
    public void AFrameForAnotherUnit_OrWithABadCrc_GetsNoAnswer()
    {
        var inverter = new SimulatedInverter("SS1ES120P38069", Munich, seed: 1, index: 0);
        var request = new byte[ModbusRtu.ReadRequestLength];
        ModbusRtu.WriteReadRequest(request, 2, ModbusFunction.ReadHoldingRegisters, 0x0404, 1);

        Assert.Equal(0, ModbusResponder.AnswerRtu(inverter.Bank, 1, request, new byte[ModbusRtu.MaxLength]));
        request[^1] ^= 0xFF;
        Assert.Equal(0, ModbusResponder.AnswerRtu(inverter.Bank, 2, request, new byte[ModbusRtu.MaxLength]));
    }

    /// <summary>Reads the whole G3 poll plan from the inverter through Modbus RTU and decodes it, as the gateway will.</summary>
    private static InverterReading Poll(SimulatedInverter inverter)
    {
        var map = RegisterMap.SofarG3;
        var reading = new InverterReading();
        for (var i = 0; i < map.Plan.Count; i++)
        {
            var block = map.Plan[i];
            var (reply, parsed) = Ask(inverter, b => ModbusRtu.WriteReadRequest(b, map.Unit, map.Function, block.Start, block.Count));
            Assert.Equal(ModbusReplyKind.Data, parsed.Kind);
            map.Decode(i, reply.AsSpan(parsed.DataOffset, parsed.DataLength), ref reading);
        }
        map.Complete(ref reading);
        return reading;
    }

    private delegate int RequestWriter(Span<byte> buffer);

    private static (byte[] Reply, ModbusReply Parsed) Ask(SimulatedInverter inverter, RequestWriter write, ModbusFunction function = ModbusFunction.ReadHoldingRegisters)
    {
        var request = new byte[ModbusRtu.MaxLength];
        var length = write(request);
        var reply = new byte[ModbusRtu.MaxLength];
        var replyLength = ModbusResponder.AnswerRtu(inverter.Bank, 1, request.AsSpan(0, length), reply);
        Assert.True(replyLength > 0);
        return (reply[..replyLength], ModbusRtu.ParseReply(reply.AsSpan(0, replyLength), 1, function));
    }
}
