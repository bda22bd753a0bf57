using System.Globalization;

namespace Helio.Server.Features.Web.Pages.Dashboard;

/// <summary>
/// How the dashboards write numbers, times and statuses. wwwroot/js/format.js writes the same for values refreshed in
/// the browser, so a figure looks alike before and after a live update; change both together.
/// </summary>
internal static class Units
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>W below 1 kW, kW with two decimals below 1 MW, then MW.</summary>
    public static string Power(double watts) => Math.Abs(watts) switch
    {
        < 1000 => watts.ToString("0", Invariant) + " W",
        < 1_000_000 => (watts / 1000).ToString("0.00", Invariant) + " kW",
        _ => (watts / 1_000_000).ToString("0.00", Invariant) + " MW",
    };

    /// <summary>kWh with two decimals below 10 (a cloudy winter day), one below 1,000, then MWh and GWh.</summary>
    public static string Energy(double kwh) => Math.Abs(kwh) switch
    {
        < 10 => kwh.ToString("0.00", Invariant) + " kWh",
        < 1000 => kwh.ToString("0.0", Invariant) + " kWh",
        < 1_000_000 => (kwh / 1000).ToString("0.00", Invariant) + " MWh",
        _ => (kwh / 1_000_000).ToString("0.00", Invariant) + " GWh",
    };

    public static string Capacity(double kwp) => kwp.ToString("0.##", Invariant) + " kWp";

    public static string SpecificYield(double? kwhPerKwp) => kwhPerKwp is { } v ? v.ToString("0.00", Invariant) + " kWh/kWp" : "–";

    public static string Mass(double kg) => Math.Abs(kg) < 1000 ? kg.ToString("0", Invariant) + " kg" : (kg / 1000).ToString("0.00", Invariant) + " t";

    public static string Money(decimal? amount, string? currency) =>
        amount is { } a ? a.ToString("0.00", Invariant) + (currency is null ? "" : " " + currency) : "–";

    public static string Percent(double percent) => percent.ToString("0", Invariant) + " %";

    /// <summary>A time in the plant's zone as "2026-11-30 14:05" (the DTOs carry the plant's offset already).</summary>
    public static string LocalTime(DateTimeOffset? at, TimeZoneInfo zone) =>
        at is { } t ? TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", Invariant) : "never";

    public static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", Invariant);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>Words for <c>PlantOverviewDto.Status</c>; the CSS class <c>status-{status}</c> gives the colour.</summary>
    public static string StatusName(string status) => status switch
    {
        "producing" => "Producing",
        "idle" => "Idle",
        "offline" => "Offline",
        "fault" => "Fault",
        "noData" => "No data yet",
        _ => status,
    };

    /// <summary>Zones come from the plant (validated at creation); an unknown one still renders, in UTC.</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
