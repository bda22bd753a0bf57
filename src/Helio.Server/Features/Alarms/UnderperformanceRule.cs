using System.Globalization;

namespace Helio.Server.Features.Alarms;

internal enum UnderperformanceOutcome
{
    Healthy,
    Underperforming,
    /// <summary>Too little sun was expected (polar night, a snowed-in region) for the day to say anything.</summary>
    NotJudged,
}

/// <summary>What is known about one plant's local day when it is judged.</summary>
/// <param name="NeighbourSpecificYields">kWh/kWp of each other plant within the radius that has data that day.</param>
/// <param name="ClearSkyKwhPerSquareMetre">The day's clear-sky irradiation at the plant (<see cref="ExpectedYield"/>).</param>
internal sealed record UnderperformanceDay(
    DateOnly Day,
    string TimeZone,
    double EnergyKwh,
    int HoursWithData,
    double CapacityKwp,
    int Percent,
    bool PercentIsPlantSetting,
    IReadOnlyList<double> NeighbourSpecificYields,
    double RadiusKm,
    double ClearSkyKwhPerSquareMetre);

internal sealed record UnderperformanceVerdict(UnderperformanceOutcome Outcome, AlarmSeverity Severity, string Title, string Action, AlarmExplanation Explanation);

/// <summary>
/// The decision on one plant's day (ADR 0015). Neighbours first: plants nearby share the weather, so the median
/// specific yield (kWh/kWp) of at least <see cref="MinimumNeighbours"/> of them is what this plant should have made,
/// overcast or not, and falling below the threshold share of it is a warning. Without neighbours only a clear sky is
/// left to compare with, and clouds alone cut a day to 10–30 % of it, so the threshold is scaled down
/// (<see cref="AlarmsOptions.UnderperformanceClearSkyFactor"/>) and the finding is only information.
/// </summary>
internal static class UnderperformanceRule
{
    public const string Code = "underperformance";
    public const string NeighboursRule = "underperformance-neighbours";
    public const string ClearSkyRule = "underperformance-clear-sky";

    /// <summary>One neighbour is an anecdote (its own fault would be this plant's alarm); with two or more the median
    /// stands for the weather.</summary>
    public const int MinimumNeighbours = 2;

    /// <summary>Below a fifth of a peak sun hour per kWp (polar night, a region under snow) yields are noise: the
    /// day is not judged either way.</summary>
    public const double MinimumExpectedKwhPerKwp = 0.2;

    /// <summary>The key of the day in an explanation's inputs: how a repeated run recognises a day already raised.</summary>
    public const string DayInput = "Day";

    public static UnderperformanceVerdict Judge(UnderperformanceDay day, double clearSkyFactor, DateTimeOffset decidedAt)
    {
        var specificYield = day.EnergyKwh / day.CapacityKwp;
        var neighbours = day.NeighbourSpecificYields.Count >= MinimumNeighbours;
        var expectedPerKwp = neighbours ? Median(day.NeighbourSpecificYields) : day.ClearSkyKwhPerSquareMetre * ExpectedYield.PerformanceRatio;
        var expectedKwh = expectedPerKwp * day.CapacityKwp;
        var sharePercent = neighbours ? day.Percent : day.Percent * clearSkyFactor;
        var ofExpected = expectedKwh > 0 ? 100 * day.EnergyKwh / expectedKwh : 0;
        var outcome = expectedPerKwp < MinimumExpectedKwhPerKwp ? UnderperformanceOutcome.NotJudged
            : day.EnergyKwh < sharePercent / 100 * expectedKwh ? UnderperformanceOutcome.Underperforming
            : UnderperformanceOutcome.Healthy;

        var date = day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var inputs = new Dictionary<string, string>
        {
            [DayInput] = $"{date} ({day.TimeZone})",
            ["Energy"] = Text($"{day.EnergyKwh:0.00} kWh"),
            ["Capacity"] = Text($"{day.CapacityKwp:0.00} kWp"),
            ["Specific yield"] = Text($"{specificYield:0.00} kWh/kWp"),
            ["Hours with data"] = Text($"{day.HoursWithData}"),
            ["Neighbours with data"] = Text($"{day.NeighbourSpecificYields.Count} within {day.RadiusKm:0.#} km"),
        };
        var source = day.PercentIsPlantSetting ? "the plant's setting" : "the default";
        var thresholds = new Dictionary<string, string>
        {
            ["Underperformance threshold"] = Text($"{day.Percent} % of expected ({source})"),
            ["Minimum neighbours"] = Text($"{MinimumNeighbours}"),
            ["Minimum expected yield"] = Text($"{MinimumExpectedKwhPerKwp:0.0} kWh/kWp (below it the day is not judged)"),
        };
        string rule, summary, title, action;
        AlarmSeverity severity;
        if (neighbours)
        {
            rule = NeighboursRule;
            severity = AlarmSeverity.Warning;
            // Only the count and the median of the neighbours: their single figures are other people's production.
            inputs["Method"] = "neighbours: the median specific yield of nearby plants that day, which share its weather";
            inputs["Neighbours' median specific yield"] = Text($"{expectedPerKwp:0.00} kWh/kWp");
            inputs["Expected energy"] = Text($"{expectedKwh:0.00} kWh (median × capacity)");
            inputs["Share of expected"] = Text($"{ofExpected:0} %");
            thresholds["Comparison"] = Text($"energy < {sharePercent:0.#} % × expected energy = {sharePercent / 100 * expectedKwh:0.00} kWh");
            title = "Plant yield far below its neighbours'";
            action = "Look for soiling, shade, snow on the modules, a string that tripped or a failed inverter input; compare the string currents of its inverters.";
            summary = Text($"On {date} the plant made {day.EnergyKwh:0.00} kWh ({specificYield:0.00} kWh/kWp), {ofExpected:0} % of the {expectedKwh:0.00} kWh its {day.NeighbourSpecificYields.Count} neighbours within {day.RadiusKm:0.#} km made per kWp (median {expectedPerKwp:0.00} kWh/kWp); ")
                + (outcome switch
                {
                    UnderperformanceOutcome.Underperforming => Text($"below the threshold of {sharePercent:0.#} %."),
                    UnderperformanceOutcome.Healthy => Text($"at or above the threshold of {sharePercent:0.#} %."),
                    _ => "too little for any plant there to judge the day.",
                });
        }
        else
        {
            rule = ClearSkyRule;
            severity = AlarmSeverity.Info;
            inputs["Method"] = Text($"clear sky: no {MinimumNeighbours} neighbours with data to compare with, so compared with what a clear sky would have given");
            inputs["Clear-sky irradiation"] = Text($"{day.ClearSkyKwhPerSquareMetre:0.00} kWh/m² on horizontal ground (Haurwitz clear-sky model, NOAA sun position, 5-minute steps)");
            inputs["Performance ratio"] = Text($"{ExpectedYield.PerformanceRatio:0.00}");
            inputs["Expected energy"] = Text($"{expectedKwh:0.00} kWh (irradiation × performance ratio × capacity)");
            inputs["Share of expected"] = Text($"{ofExpected:0} %");
            thresholds["Clear-sky factor"] = Text($"{clearSkyFactor:0.##} (clouds alone can cut a day to 10–30 % of a clear sky)");
            thresholds["Comparison"] = Text($"energy < {day.Percent} % × {clearSkyFactor:0.##} = {sharePercent:0.#} % × clear-sky energy = {sharePercent / 100 * expectedKwh:0.00} kWh");
            title = "Plant yield very low for the day";
            action = "Check the weather there first (snow, fog, thick overcast); if it was sunny, look for soiling, shade, a tripped string or a failed inverter input.";
            summary = Text($"On {date} the plant made {day.EnergyKwh:0.00} kWh ({specificYield:0.00} kWh/kWp), {ofExpected:0} % of the {expectedKwh:0.00} kWh a clear sky would have given; ")
                + (outcome switch
                {
                    UnderperformanceOutcome.Underperforming => Text($"below {sharePercent:0.#} % ({day.Percent} % × {clearSkyFactor:0.##}). "),
                    UnderperformanceOutcome.Healthy => Text($"at or above {sharePercent:0.#} % ({day.Percent} % × {clearSkyFactor:0.##}). "),
                    _ => "too little sun for the day to say anything. ",
                })
                + Text($"No neighbouring plants with data within {day.RadiusKm:0.#} km to compare with, so the weather may be the cause.");
        }
        return new UnderperformanceVerdict(outcome, severity, title, action, new AlarmExplanation(rule, summary, inputs, thresholds, decidedAt));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
