namespace Helio.Server.Features.Telemetry;

/// <summary>
/// A plant at a glance. Energies in kWh from rollups in the plant's local calendar; power from the latest reading of
/// each inverter; <see cref="Status"/> is producing, idle (night, or no power by day), offline (no data for 15 min
/// by day), fault (an inverter in a fault state) or noData (never reported).
/// </summary>
public sealed record PlantOverviewDto(
    Guid PlantId,
    string Name,
    double Latitude,
    double Longitude,
    string TimeZone,
    string Status,
    DateTimeOffset? LastDataAt,
    double CurrentPowerW,
    double CapacityKwp,
    double EnergyTodayKwh,
    double EnergyThisMonthKwh,
    double EnergyThisYearKwh,
    double EnergyLifetimeKwh,
    double? SpecificYieldTodayKwhPerKwp,
    double Co2AvoidedKg,
    decimal? RevenueToday,
    decimal? RevenueLifetime,
    string? Currency,
    EnergyFlowDto? Flow);

/// <summary>
/// Power flows now, for hybrid inverters (null members where the model does not measure them). Signs as in
/// docs/metrics.md: grid positive when exporting, negative when importing; battery as the model reports it.
/// </summary>
public sealed record EnergyFlowDto(double? PvPowerW, double? LoadPowerW, double? GridPowerW, double? BatteryPowerW, double? BatterySocPercent);

/// <summary>The power curve of one local day: one point per 5 minutes with data, at the bucket's start in local time.</summary>
public sealed record PowerCurveDto(Guid PlantId, DateOnly Date, string TimeZone, IReadOnlyList<PowerPointDto> Points);

public sealed record PowerPointDto(DateTimeOffset At, double PowerW);

/// <summary>
/// Energy bars: the hours of a day, days of a month, months of a year, or the years of the plant (period lifetime),
/// every slot of the period present (0 when nothing was produced), each with its local start.
/// </summary>
public sealed record EnergyBarsDto(Guid PlantId, string Period, string Date, string TimeZone, double TotalKwh, IReadOnlyList<EnergyBarDto> Bars);

/// <summary>One bar: label "14:00" (hour), "2026-11-30" (day), "2026-11" (month) or "2026" (year).</summary>
public sealed record EnergyBarDto(string Label, DateTimeOffset Start, double EnergyKwh);

/// <summary>A page of raw readings; <see cref="Next"/> is the query string of the next page, or null at the end.</summary>
public sealed record RawReadingsPageDto(string SerialNumber, string TimeZone, IReadOnlyList<RawReadingDto> Readings, string? Next);
