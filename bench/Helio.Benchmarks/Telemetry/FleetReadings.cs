using Helio.Protocols.RegisterMaps;
using Helio.Protocols.Solar;
using Helio.Server.Features.Telemetry;
using Helio.Simulator.Solar;

namespace Helio.Benchmarks.Telemetry;

/// <summary>Where a generated inverter stands: its plant's place, zone and size.</summary>
internal sealed record GeneratedSite(double Latitude, double Longitude, TimeZoneInfo Zone, double CapacityKwp);

/// <summary>
/// Full SOFAR G3 hybrid readings (the 34 metrics the G3 register map decodes) for a fleet, every five minutes, in the
/// order a fleet's readings arrive: every device's reading of one instant, then the next instant. Values follow the
/// sun at each device's place (the simulator's clear-sky model times its deterministic cloudiness, so days are
/// sunny or overcast), zero PV power at night, a house load, a battery that charges from surplus and discharges at
/// night, grid import/export, and day and lifetime counters that accumulate and reset at local midnight.
/// </summary>
internal sealed class FleetReadings
{
    public const long FiveMinutesMs = 300_000;

    /// <summary>The metrics every generated reading has: the G3 map's 34.</summary>
    public static readonly Metric[] Filled =
    [
        Metric.ActivePowerW, Metric.GridPowerW, Metric.LoadPowerW, Metric.PvPowerW,
        Metric.Pv1VoltageV, Metric.Pv1CurrentA, Metric.Pv1PowerW, Metric.Pv2VoltageV, Metric.Pv2CurrentA, Metric.Pv2PowerW,
        Metric.L1VoltageV, Metric.L1CurrentA, Metric.L2VoltageV, Metric.L2CurrentA, Metric.L3VoltageV, Metric.L3CurrentA,
        Metric.GridFrequencyHz, Metric.EnergyTodayKwh, Metric.EnergyTotalKwh,
        Metric.GridImportTodayKwh, Metric.GridImportTotalKwh, Metric.GridExportTodayKwh, Metric.GridExportTotalKwh,
        Metric.AmbientTemperatureC, Metric.RadiatorTemperatureC, Metric.ModuleTemperatureC, Metric.GenerationTimeTodayMin,
        Metric.InsulationResistanceKohm, Metric.BatteryVoltageV, Metric.BatteryCurrentA, Metric.BatteryPowerW,
        Metric.BatteryStateOfChargePercent, Metric.BatteryStateOfHealthPercent, Metric.BatteryCycles,
    ];

    private const ulong Seed = 0x4865_6C69_6F42_656E; // "HelioBen"

    private readonly GeneratedSite[] sites;
    private readonly string[] serials;
    private readonly string?[] loggers;
    private readonly DeviceState[] state;

    public FleetReadings(IReadOnlyList<GeneratedSite> sites, bool withLoggers, int firstSerial = 0)
    {
        this.sites = sites.ToArray();
        serials = Enumerable.Range(0, sites.Count).Select(i => Serial(firstSerial + i)).ToArray();
        loggers = Enumerable.Range(0, sites.Count).Select(i => withLoggers ? Logger(firstSerial + i) : null).ToArray();
        state = new DeviceState[sites.Count];
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = new DeviceState { EnergyTotalKwh = 1_000 + (i * 37 % 9_000), ImportTotalKwh = 2_000 + (i * 53 % 5_000), ExportTotalKwh = 800 + (i * 29 % 4_000), SocPercent = 40, Cycles = 200 + (i % 300) };
        }
    }

    public int Devices => sites.Length;

    public IReadOnlyList<string> Serials => serials;

    public static string Serial(int index) => "SS1ES" + (100_000_000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Logger(int index) => (1_700_000_000L + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sites around Germany: 5 to 15 kWp, Europe/Berlin.</summary>
    public static GeneratedSite[] GermanSites(int count)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        return Enumerable.Range(0, count).Select(i => new GeneratedSite(
            47.5 + (i * 0.618 % 1.0 * 6), 6 + (i * 0.414 % 1.0 * 9), zone, 5 + (i * 7 % 11))).ToArray();
    }

    /// <summary>Every device's reading at each of <paramref name="instants"/> five-minute instants from <paramref name="startMs"/>, time-major.</summary>
    public TelemetryReading[] Generate(long startMs, int instants)
    {
        var result = new TelemetryReading[(long)instants * Devices];
        var n = 0;
        for (var k = 0; k < instants; k++)
        {
            var at = startMs + (k * FiveMinutesMs);
            for (var d = 0; d < Devices; d++)
            {
                result[n++] = Next(d, at);
            }
        }
        return result;
    }

    /// <summary>Device <paramref name="d"/>'s next reading, at <paramref name="atMs"/> (after its previous one).</summary>
    public TelemetryReading Next(int d, long atMs)
    {
        ref var s = ref state[d];
        var site = sites[d];
        var now = DateTimeOffset.FromUnixTimeMilliseconds(atMs);
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, site.Zone).DateTime);
        if (localDay != s.Day)
        {
            s.Day = localDay;
            s.EnergyTodayKwh = s.ImportTodayKwh = s.ExportTodayKwh = s.GenerationMinutes = 0;
        }
        var hours = s.LastMs == 0 ? 0 : (atMs - s.LastMs) / 3_600_000.0;
        s.LastMs = atMs;

        var irradiance = SunPosition.ClearSkyIrradiance(SunPosition.CosZenith(site.Latitude, site.Longitude, now)) * Cloudiness.Factor(Seed, d, now);
        var capacityW = site.CapacityKwp * 1000;
        var dcW = site.CapacityKwp * irradiance * 0.85;
        var running = dcW > 20;
        var acW = running ? Math.Min(dcW * 0.97, capacityW) : 0;
        var wobble = Math.Sin((atMs / 7_000.0) + d);
        var loadW = 350 + (250 * Math.Max(0, Math.Sin((atMs / 3_600_000.0 * Math.PI / 12) + d))) + (40 * wobble);

        // The battery takes surplus up to 3 kW while not full, and covers the load while above 10 %.
        var surplus = acW - loadW;
        var batteryW = surplus > 0 ? (s.SocPercent < 100 ? Math.Min(surplus, 3000) : 0) : (s.SocPercent > 10 ? Math.Max(surplus, -3000) : 0);
        s.SocPercent = Math.Clamp(s.SocPercent + (batteryW * hours / 10_000 * 100), 0, 100);
        if (batteryW > 0 && s.SocPercent >= 100)
        {
            s.Cycles++;
        }
        var gridW = acW - loadW - batteryW; // positive: exporting
        s.EnergyTodayKwh += acW / 1000 * hours;
        s.EnergyTotalKwh += acW / 1000 * hours;
        if (gridW > 0)
        {
            s.ExportTodayKwh += gridW / 1000 * hours;
            s.ExportTotalKwh += gridW / 1000 * hours;
        }
        else
        {
            s.ImportTodayKwh -= gridW / 1000 * hours;
            s.ImportTotalKwh -= gridW / 1000 * hours;
        }
        if (running)
        {
            s.GenerationMinutes += hours * 60;
        }

        var r = new InverterReading { State = running ? InverterState.OnGrid : InverterState.Waiting, RawState = running ? (ushort)2 : (ushort)0 };
        r.Set(Metric.ActivePowerW, Math.Round(acW));
        r.Set(Metric.GridPowerW, Math.Round(gridW));
        r.Set(Metric.LoadPowerW, Math.Round(loadW));
        r.Set(Metric.PvPowerW, Math.Round(running ? dcW : 0));
        var stringV = running ? 300 + (60 * Math.Min(1, irradiance / 1000)) + (2 * wobble) : 0;
        for (var pv = 0; pv < 2; pv++)
        {
            var powerW = running ? dcW / 2 * (pv == 0 ? 1.02 : 0.98) : 0;
            r.Set(pv == 0 ? Metric.Pv1VoltageV : Metric.Pv2VoltageV, Math.Round(stringV, 1));
            r.Set(pv == 0 ? Metric.Pv1CurrentA : Metric.Pv2CurrentA, stringV > 0 ? Math.Round(powerW / stringV, 2) : 0);
            r.Set(pv == 0 ? Metric.Pv1PowerW : Metric.Pv2PowerW, Math.Round(powerW));
        }
        var phaseV = 230 + (1.5 * wobble);
        r.Set(Metric.L1VoltageV, Math.Round(phaseV, 1));
        r.Set(Metric.L2VoltageV, Math.Round(phaseV + 0.7, 1));
        r.Set(Metric.L3VoltageV, Math.Round(phaseV - 0.4, 1));
        var phaseA = Math.Round(Math.Abs(acW - batteryW) / 3 / phaseV, 2);
        r.Set(Metric.L1CurrentA, phaseA);
        r.Set(Metric.L2CurrentA, phaseA);
        r.Set(Metric.L3CurrentA, phaseA);
        r.Set(Metric.GridFrequencyHz, Math.Round(50 + (0.03 * wobble), 2));
        r.Set(Metric.EnergyTodayKwh, Math.Round(s.EnergyTodayKwh, 2));
        r.Set(Metric.EnergyTotalKwh, Math.Round(s.EnergyTotalKwh, 1));
        r.Set(Metric.GridImportTodayKwh, Math.Round(s.ImportTodayKwh, 2));
        r.Set(Metric.GridImportTotalKwh, Math.Round(s.ImportTotalKwh, 1));
        r.Set(Metric.GridExportTodayKwh, Math.Round(s.ExportTodayKwh, 2));
        r.Set(Metric.GridExportTotalKwh, Math.Round(s.ExportTotalKwh, 1));
        var seasonC = 10 - (10 * Math.Cos(2 * Math.PI * (now.DayOfYear - 15) / 365));
        var ambientC = seasonC + (8 * irradiance / 1000);
        r.Set(Metric.AmbientTemperatureC, Math.Round(ambientC, 1));
        r.Set(Metric.RadiatorTemperatureC, Math.Round(ambientC + (25 * acW / capacityW), 1));
        r.Set(Metric.ModuleTemperatureC, Math.Round(ambientC + (25 * irradiance / 1000), 1));
        r.Set(Metric.GenerationTimeTodayMin, Math.Floor(s.GenerationMinutes));
        r.Set(Metric.InsulationResistanceKohm, 2000);
        var batteryV = Math.Round(48 + (4 * s.SocPercent / 100), 1);
        r.Set(Metric.BatteryVoltageV, batteryV);
        r.Set(Metric.BatteryCurrentA, Math.Round(batteryW / batteryV, 2));
        r.Set(Metric.BatteryPowerW, Math.Round(batteryW));
        r.Set(Metric.BatteryStateOfChargePercent, Math.Round(s.SocPercent, 1));
        r.Set(Metric.BatteryStateOfHealthPercent, 98);
        r.Set(Metric.BatteryCycles, s.Cycles);
        return new TelemetryReading(serials[d], loggers[d], atMs, r);
    }

    private struct DeviceState
    {
        public DateOnly Day;
        public long LastMs;
        public double EnergyTodayKwh, EnergyTotalKwh, ImportTodayKwh, ImportTotalKwh, ExportTodayKwh, ExportTotalKwh, GenerationMinutes, SocPercent;
        public int Cycles;
    }
}
