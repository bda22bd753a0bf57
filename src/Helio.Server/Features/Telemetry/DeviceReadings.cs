using System.Globalization;
using System.Runtime.CompilerServices;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Telemetry.Export;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Telemetry;

/// <summary>The query of <c>GET …/devices/{serialNumber}/readings</c>; every member optional.</summary>
public sealed record DeviceReadingsQuery(string? From, string? To, string? Metrics, int? Limit);

/// <summary>
/// Raw readings of a device the user can see, by time range, in pages (the next page starts after the last reading
/// returned), or as one streamed CSV/XLSX download of the whole range, read in pages so memory stays flat.
/// </summary>
internal sealed class DeviceReadings(HelioDbContext db, DeviceQueries devices, RawReadings raw, TimeProvider time)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(1);
    /// <summary>The longest range one download covers: a year of 1-minute readings is about 525,000 rows.</summary>
    public static readonly TimeSpan MaxExportSpan = TimeSpan.FromDays(366);

    public async Task<Outcome<RawReadingsPageDto>> PageAsync(Guid userId, string serialNumber, DeviceReadingsQuery query, CancellationToken cancellationToken)
    {
        var request = await CheckAsync(userId, serialNumber, query, cancellationToken);
        if (!request.IsSuccess)
        {
            return request.ToRefusal();
        }
        var (serial, number, zone, zoneId, from, to, metrics, limit) = request.Value!;
        var rows = number is { } device ? await raw.ReadAsync(device, from, to, metrics, limit, zone, cancellationToken) : [];
        var next = rows.Count < limit ? null
            : $"from={Uri.EscapeDataString(Iso(rows[^1].At.AddMilliseconds(1)))}&to={Uri.EscapeDataString(Iso(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(to), zone)))}"
              + $"&metrics={string.Join(',', metrics.Select(Metrics.Name))}&limit={limit}";
        return new RawReadingsPageDto(serial, zoneId, rows, next);
    }

    public async Task<Outcome<SeriesTable>> ExportAsync(Guid userId, string serialNumber, DeviceReadingsQuery query, CancellationToken cancellationToken)
    {
        var request = await CheckAsync(userId, serialNumber, query, cancellationToken);
        if (!request.IsSuccess)
        {
            return request.ToRefusal();
        }
        var r = request.Value!;
        if (TimeSpan.FromMilliseconds(r.To - r.From) > MaxExportSpan)
        {
            return Refusal.Invalid("to", "A download covers at most 366 days; split the range.");
        }
        var headers = r.Metrics.Select(m => Metrics.Name(m)).ToList();
        return new SeriesTable($"Time ({r.ZoneId})", headers, Rows(r, cancellationToken));
    }

    private async IAsyncEnumerable<SeriesRow> Rows(Request r, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (r.Number is not { } device)
        {
            yield break;
        }
        var values = new double?[r.Metrics.Count];
        for (var from = r.From; ;)
        {
            var page = await raw.ReadAsync(device, from, r.To, r.Metrics, 5000, r.Zone, cancellationToken);
            foreach (var reading in page)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reading.Values.TryGetValue(Metrics.Name(r.Metrics[i]), out var value) ? value : null;
                }
                yield return SeriesRow.At(reading.At, values);
            }
            if (page.Count < 5000)
            {
                yield break;
            }
            from = page[^1].At.ToUnixTimeMilliseconds() + 1;
        }
    }

    private sealed record Request(string Serial, int? Number, TimeZoneInfo Zone, string ZoneId, long From, long To, IReadOnlyList<Metric> Metrics, int Limit);

    private async Task<Outcome<Request>> CheckAsync(Guid userId, string serialNumber, DeviceReadingsQuery query, CancellationToken cancellationToken)
    {
        var serial = SerialNumbers.Normalise(serialNumber);
        var device = await devices.Visible(userId).Where(d => d.SerialNumber == serial)
            .Join(db.Plants, d => d.PlantId, p => p.Id, (d, p) => new { p.TimeZone }).SingleOrDefaultAsync(cancellationToken);
        if (device is null)
        {
            return Refusal.NotFound;
        }
        var errors = new Dictionary<string, string[]>();
        var to = Instant(query.To, "to", errors) ?? time.GetUtcNow();
        var from = Instant(query.From, "from", errors) ?? to - DefaultSpan;
        if (from >= to)
        {
            errors["from"] = ["Must be before to."];
        }
        var metrics = new List<Metric>();
        foreach (var name in (query.Metrics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Metrics.TryParse(name, out var metric))
            {
                metrics.Add(metric);
            }
            else
            {
                errors["metrics"] = [$"Unknown metric '{name}'; the names are listed in docs/metrics.md."];
            }
        }
        if (query.Limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"From 1 to {MaxLimit}."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        return new Request(serial, await raw.DeviceNumberAsync(serial, cancellationToken), Zones.Find(device.TimeZone), device.TimeZone,
            from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), metrics.Count > 0 ? metrics.Distinct().ToList() : Enum.GetValues<Metric>(), query.Limit ?? DefaultLimit);
    }

    private static DateTimeOffset? Instant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
        {
            return at;
        }
        errors[field] = ["Must be an ISO 8601 time with an offset, e.g. 2026-11-30T10:00:00+01:00."];
        return null;
    }

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
