using Helio.Protocols.Modbus;
using Helio.Protocols.Solar;
using System.Text;
using Helio.Protocols.RegisterMaps;
using Helio.Simulator.Solar;

namespace Helio.Simulator.Inverters;

/// <summary>Where a simulated inverter stands and how big its array is.</summary>
public sealed record SimulatedPlant(double Latitude, double Longitude, TimeZoneInfo TimeZone, double CapacityKwp);

/// <summary>
/// A SOFAR G3 string inverter (two PV strings, three phases) whose registers follow the sun at its plant: a
/// clear-sky curve times a cloudiness process, energy counters that accumulate and reset at local midnight, and
/// plausible voltages, currents, frequency and temperatures. Deterministic for a seed: the same seed, plant and
/// instants give the same registers.
/// </summary>
public sealed class SimulatedInverter
{
    private const double SystemEfficiency = 0.85;
    private const double InverterEfficiency = 0.97;
    private const double HouseLoadW = 400;

    private readonly ulong seed;
    private readonly int index;
    private DateTimeOffset? last;
    private DateOnly localDay;
    private double energyTodayKwh;
    private double energyTotalKwh;
    private double generationMinutesToday;
    private FaultSet faults;
    private double derate = 1;

    public SimulatedInverter(string serialNumber, SimulatedPlant plant, ulong seed, int index, double initialEnergyTotalKwh = 0)
    {
        if (serialNumber.Length > 16 || !Ascii.IsValid(serialNumber))
        {
            throw new ArgumentException("A serial number is at most 16 ASCII characters.", nameof(serialNumber));
        }
        SerialNumber = serialNumber;
        Plant = plant;
        this.seed = seed;
        this.index = index;
        energyTotalKwh = initialEnergyTotalKwh;
        Bank = new RegisterBank([(0x0400, 0x300, false), (0x1000, 0x100, true)], [0x05C4]);
        var serial = Encoding.ASCII.GetBytes(serialNumber.PadRight(16, '\0'));
        for (var i = 0; i < 8; i++)
        {
            Bank[0x0445 + i] = (ushort)((serial[2 * i] << 8) | serial[(2 * i) + 1]);
        }
        Bank[0x104D] = 20; // battery depth of discharge default, a writable setting
        Bank[0x104E] = 10; // battery end of discharge default
        Bank.WriteCheck = CheckWrite;
    }

    public string SerialNumber { get; }

    public SimulatedPlant Plant { get; }

    public RegisterBank Bank { get; }

    public double ActivePowerW { get; private set; }

    public double EnergyTodayKwh => energyTodayKwh;

    /// <summary>The share (0 to 1) of its normal output the array delivers: 1 is healthy; 0.4 is a plant that has lost
    /// 60 % to soiling, shade or a dead string while everything else looks normal, the case the underperformance alarm
    /// exists for. The power curve keeps its shape and the inverter still reports no fault.</summary>
    public double Derate
    {
        get => derate;
        set => derate = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Derate is a share from 0 to 1.");
    }

    /// <summary>
    /// When set, every write is answered with this exception instead of being made, as an inverter does that is busy
    /// or in a state where it takes no settings (tests of refused remote operations).
    /// </summary>
    public ModbusException RefuseWrites { get; set; }

    public void RaiseFault(int id) => faults.Add(id);

    public void ClearFaults() => faults = default;

    /// <summary>Moves the inverter to <paramref name="now"/>: integrates energy since the last call and refreshes every register.</summary>
    public void Advance(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Plant.TimeZone).DateTime);
        if (last is null || today != localDay)
        {
            // The inverter's "today" counters restart at the plant's local midnight.
            localDay = today;
            energyTodayKwh = 0;
            generationMinutesToday = 0;
        }

        var cosZenith = SunPosition.CosZenith(Plant.Latitude, Plant.Longitude, now);
        var irradiance = SunPosition.ClearSkyIrradiance(cosZenith) * Cloudiness.Factor(seed, index, now);
        var dcPowerW = Plant.CapacityKwp * irradiance * SystemEfficiency * derate;
        var faulted = !faults.IsEmpty;
        var running = dcPowerW > 20 && !faulted;
        var acPowerW = running ? Math.Min(dcPowerW * InverterEfficiency, Plant.CapacityKwp * 1000) : 0;

        if (last is { } previous && now > previous)
        {
            var hours = (now - previous).TotalHours;
            energyTodayKwh += acPowerW / 1000 * hours;
            energyTotalKwh += acPowerW / 1000 * hours;
            if (running)
            {
                generationMinutesToday += hours * 60;
            }
        }
        last = now;
        ActivePowerW = acPowerW;
        Write(now, irradiance, running ? dcPowerW : 0, acPowerW, faulted);
    }

    private void Write(DateTimeOffset now, double irradiance, double dcPowerW, double acPowerW, bool faulted)
    {
        var wobble = Math.Sin((now.ToUnixTimeSeconds() / 7.0) + index);
        var ambientC = 12 + (10 * irradiance / 1000);
        Bank[0x0404] = faulted ? (ushort)(faults.ToArray().Any(id => id is >= 129 and <= 144) ? 5 : 4) : dcPowerW > 0 ? (ushort)2 : (ushort)0;
        for (var word = 0; word < 12; word++)
        {
            ushort bits = 0;
            for (var bit = 0; bit < 16; bit++)
            {
                if (faults.Contains((word * 16) + bit + 1))
                {
                    bits |= (ushort)(1 << bit);
                }
            }
            Bank[0x0405 + word] = bits;
        }
        Bank[0x0418] = S16(ambientC);
        Bank[0x041A] = S16(ambientC + (25 * acPowerW / Math.Max(1, Plant.CapacityKwp * 1000)));
        Bank[0x0420] = S16(ambientC + (25 * irradiance / 1000));
        Bank[0x0426] = (ushort)generationMinutesToday;
        Bank[0x042B] = 2000;

        Bank[0x0484] = (ushort)Math.Round(5000 + (2 * wobble));
        Bank[0x0485] = S16(acPowerW / 10);
        Bank[0x0488] = S16((acPowerW - HouseLoadW) / 10);
        var phaseVoltage = 230 + (1.5 * wobble);
        for (var phase = 0; phase < 3; phase++)
        {
            var at = 0x048D + (phase * 11);
            Bank[at] = (ushort)Math.Round(phaseVoltage * 10);
            Bank[at + 1] = (ushort)Math.Round(acPowerW / 3 / phaseVoltage * 100);
        }
        Bank[0x04AF] = S16(HouseLoadW / 10);

        var stringVoltage = dcPowerW > 0 ? 300 + (60 * Math.Min(1, irradiance / 1000)) : 0;
        for (var pv = 0; pv < 2; pv++)
        {
            var at = 0x0584 + (pv * 3);
            var powerW = dcPowerW / 2;
            Bank[at] = (ushort)Math.Round(stringVoltage * 10);
            Bank[at + 1] = (ushort)(stringVoltage > 0 ? Math.Round(powerW / stringVoltage * 100) : 0);
            Bank[at + 2] = (ushort)Math.Round(powerW / 10);
        }

        Bank.SetU32(0x0684, (uint)Math.Round(energyTodayKwh * 100));
        Bank.SetU32(0x0686, (uint)Math.Round(energyTotalKwh * 10));
    }

    /// <summary>The map's settings are writable within their range (else "illegal data value"); other registers are not
    /// ("illegal data address"), as on a real inverter.</summary>
    private ModbusException CheckWrite(ushort address, ushort value)
    {
        if (RefuseWrites != ModbusException.None)
        {
            return RefuseWrites;
        }
        foreach (var setting in RegisterMap.SofarG3.Settings)
        {
            if (setting.Address == address)
            {
                return setting.Accepts(value) ? ModbusException.None : ModbusException.IllegalDataValue;
            }
        }
        return ModbusException.IllegalDataAddress;
    }

    private static ushort S16(double value) => unchecked((ushort)(short)Math.Round(Math.Clamp(value, short.MinValue, short.MaxValue)));
}
