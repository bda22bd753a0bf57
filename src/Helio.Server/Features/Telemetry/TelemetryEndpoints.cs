using System.Globalization;
using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Telemetry.Export;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Telemetry;

/// <summary>
/// The query API, mapped twice with the same handlers: under /api/v1 for API clients (bearer tokens) and under /web
/// for the dashboards' scripts (the sign-in cookie; GET only, so no cross-site request can change anything). A
/// plant or device the caller cannot see answers 404, like one that does not exist.
/// </summary>
internal static class TelemetryEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/plants/{plantId:guid}/overview", async (Guid plantId, ClaimsPrincipal user, PlantOverviews overviews, CancellationToken ct) =>
            await overviews.GetAsync(user.UserId(), plantId, ct) is { } overview ? Results.Ok(overview) : Results.NotFound());

        group.MapGet("/plants/{plantId:guid}/power", async (Guid plantId, string? date, string? format, ClaimsPrincipal user, PowerCurves curves, CancellationToken ct) =>
        {
            if (!SeriesDownload.TryParseFormat(format, out var download))
            {
                return SeriesDownload.InvalidFormat();
            }
            if (!TryParseDate(date, out var day))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["A local date, YYYY-MM-DD."] });
            }
            var curve = await curves.GetAsync(user.UserId(), plantId, day, ct);
            if (curve is null)
            {
                return Results.NotFound();
            }
            return download == SeriesFormat.Json ? Results.Ok(curve) : SeriesDownload.Create(
                new SeriesTable($"Time ({curve.TimeZone})", ["Power (W)"], curve.Points.Select(p => SeriesRow.At(p.At, new double?[] { p.PowerW }))),
                download, $"power {curve.Date:yyyy-MM-dd}");
        });

        group.MapGet("/plants/{plantId:guid}/energy", async (Guid plantId, string? period, string? date, string? format, ClaimsPrincipal user, EnergyBars bars, CancellationToken ct) =>
        {
            if (!SeriesDownload.TryParseFormat(format, out var download))
            {
                return SeriesDownload.InvalidFormat();
            }
            period ??= "day";
            if (!EnergyBars.Periods.Contains(period))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["period"] = ["One of day, month, year, lifetime."] });
            }
            if (!TryParseDate(date, out var day))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["date"] = ["A local date: YYYY-MM-DD (or YYYY-MM, YYYY)."] });
            }
            var energy = await bars.GetAsync(user.UserId(), plantId, period, day, ct);
            if (energy is null)
            {
                return Results.NotFound();
            }
            return download == SeriesFormat.Json ? Results.Ok(energy) : SeriesDownload.Create(
                new SeriesTable(period == "day" ? $"Hour ({energy.TimeZone})" : "Period", ["Energy (kWh)"], energy.Bars.Select(b => SeriesRow.Labelled(b.Label, new double?[] { b.EnergyKwh }))),
                download, $"energy {period} {energy.Date}".TrimEnd());
        });

        group.MapGet("/devices/{serialNumber}/readings", async (string serialNumber, [AsParameters] DeviceReadingsQuery query, string? format, ClaimsPrincipal user, DeviceReadings readings, CancellationToken ct) =>
        {
            if (!SeriesDownload.TryParseFormat(format, out var download))
            {
                return SeriesDownload.InvalidFormat();
            }
            if (download == SeriesFormat.Json)
            {
                return (await readings.PageAsync(user.UserId(), serialNumber, query, ct)).ToResult(Results.Ok);
            }
            return (await readings.ExportAsync(user.UserId(), serialNumber, query, ct)).ToResult(table => SeriesDownload.Create(table, download, $"{serialNumber} readings"));
        });
    }

    /// <summary>YYYY-MM-DD, YYYY-MM (its first day) or YYYY (its first day); absent means today in the plant's zone.</summary>
    private static bool TryParseDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        foreach (var pattern in new[] { "yyyy-MM-dd", "yyyy-MM", "yyyy" })
        {
            if (DateOnly.TryParseExact(text, pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year is >= 2000 and <= 2200)
            {
                date = parsed;
                return true;
            }
        }
        return false;
    }
}
