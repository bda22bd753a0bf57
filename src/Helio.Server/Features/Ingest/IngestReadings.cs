using System.Globalization;
using System.Text.Json;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Gateway;
using Helio.Server.Features.Telemetry;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Stores a batch of readings for the plant an ingest key belongs to (HTTP and MQTT alike). Each reading is
/// judged on its own: a bad one is refused with the field and the reason, the others are stored, once per
/// (inverter, instant). Only inverters registered to the key's plant are taken: a key cannot claim serial numbers
/// (no squatting others' equipment), and an unknown serial and another owner's get the same words, so the answer
/// tells nothing about who has registered what. A reading counts as accepted only once its batch has committed.
/// </summary>
internal sealed class IngestReadings(HelioDbContext db, TimeProvider time, TelemetryWriter writer, GatewayMetrics metrics, Microsoft.Extensions.Options.IOptions<TelemetryOptions> telemetry)
{
    public const int MaxReadings = 500;
    public const string NotInPlant = "No inverter with this serial number is registered to this plant; register it there first.";
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(366);

    /// <summary>At most a year back, and never beyond the raw retention (a reading the purge would delete at once).</summary>
    private TimeSpan OldestAccepted => TimeSpan.FromDays(Math.Min(MaxAge.TotalDays, telemetry.Value.RawRetentionDays));

    /// <param name="source">"http" or "mqtt", for the metrics.</param>
    public async Task<IngestResponse> HandleAsync(string source, Guid plantId, IReadOnlyList<IngestReadingRequest?> readings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new IngestResult[readings.Count];
        var valid = new List<(int Index, TelemetryReading Row)>(readings.Count);
        for (var i = 0; i < readings.Count; i++)
        {
            if (Check(readings[i], now, OldestAccepted, out var at) is { } problem)
            {
                results[i] = new IngestResult(i, IngestStatus.Refused, problem.Field, problem.Reason);
            }
            else
            {
                valid.Add((i, ToRow(readings[i]!, at)));
            }
        }

        var serials = valid.Select(v => v.Row.InverterSerial).Distinct().ToList();
        var inPlant = (await db.Devices.Where(d => d.PlantId == plantId && d.Kind == DeviceKind.Inverter && serials.Contains(d.SerialNumber))
            .Select(d => d.SerialNumber).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var toStore = new List<TelemetryReading>(valid.Count);
        var storedIndexes = new List<int>(valid.Count);
        foreach (var (index, row) in valid)
        {
            if (!inPlant.Contains(row.InverterSerial))
            {
                results[index] = new IngestResult(index, IngestStatus.Refused, "serialNumber", NotInPlant);
            }
            else
            {
                toStore.Add(row);
                storedIndexes.Add(index);
            }
        }
        var stored = await writer.StoreAsync(toStore, cancellationToken);
        for (var i = 0; i < stored.Length; i++)
        {
            results[storedIndexes[i]] = new IngestResult(storedIndexes[i], stored[i] ? IngestStatus.Accepted : IngestStatus.Duplicate);
        }
        var response = new IngestResponse(
            results.Count(r => r.Status == IngestStatus.Accepted),
            results.Count(r => r.Status == IngestStatus.Duplicate),
            results.Count(r => r.Status == IngestStatus.Refused),
            results);
        metrics.Readings(source, "stored", response.Accepted);
        metrics.Readings(source, "duplicate", response.Duplicates);
        metrics.Readings(source, "refused", response.Refused);
        return response;
    }

    /// <summary>Why the reading is refused, or null; <paramref name="at"/> is its instant when it is taken.</summary>
    private static (string Field, string Reason)? Check(IngestReadingRequest? reading, DateTimeOffset now, TimeSpan maxAge, out DateTimeOffset at)
    {
        at = default;
        if (reading is null)
        {
            return ("", "A reading must be an object.");
        }
        if (SerialNumbers.Problem(DeviceKind.Inverter, reading.SerialNumber) is { } serialProblem)
        {
            return ("serialNumber", serialProblem);
        }
        if (!TryParseInstant(reading.Timestamp, out at))
        {
            return ("timestamp", "Must be an ISO 8601 time with an offset, e.g. 2026-11-30T10:00:00Z.");
        }
        if (at > now + MaxAhead || at < now - maxAge)
        {
            return ("timestamp", $"Must be within the last {maxAge.TotalDays:0} days (the raw-data retention, at most 366) and at most 5 minutes ahead of the server's clock.");
        }
        if (reading.Values is not { Count: > 0 } values)
        {
            return ("values", "Required: at least one metric, e.g. {\"activePowerW\": 5230}.");
        }
        foreach (var (name, value) in values)
        {
            if (!Metrics.TryParse(name, out var metric))
            {
                return ($"values.{name}", "Unknown metric; the names are listed in docs/metrics.md.");
            }
            if (!double.IsFinite(value))
            {
                return ($"values.{name}", "Must be a finite number.");
            }
            if (!MetricColumns.Fits(metric, value))
            {
                return ($"values.{name}", "Out of range for this metric.");
            }
        }
        if (reading.State is { } state && !States.ContainsKey(state))
        {
            return ("state", "Unknown state; one of " + string.Join(", ", States.Keys) + ".");
        }
        if (reading.Faults is { } faults && (faults.Count > FaultSet.MaxId || faults.Any(id => id is < 1 or > FaultSet.MaxId)))
        {
            return ("faults", $"Fault IDs are whole numbers from 1 to {FaultSet.MaxId}.");
        }
        return null;
    }

    private static readonly Dictionary<string, InverterState> States =
        Enum.GetValues<InverterState>().ToDictionary(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()), StringComparer.Ordinal);

    /// <summary>ISO 8601 date and time with seconds (fractions optional) and an offset; a time without one is refused,
    /// because whose local time it is cannot be guessed.</summary>
    private static readonly string[] InstantFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private static bool TryParseInstant(string? text, out DateTimeOffset at)
    {
        at = default;
        if (text is null || !(text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':')
            || !DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        at = parsed;
        return true;
    }

    private static TelemetryReading ToRow(IngestReadingRequest request, DateTimeOffset at)
    {
        var reading = new InverterReading { State = request.State is { } state ? States[state] : InverterState.Unknown };
        foreach (var (name, value) in request.Values!)
        {
            Metrics.TryParse(name, out var metric);
            reading.Set(metric, value);
        }
        foreach (var id in request.Faults ?? [])
        {
            reading.Faults.Add(id);
        }
        return new TelemetryReading(SerialNumbers.Normalise(request.SerialNumber!), null, at.ToUnixTimeMilliseconds(), reading);
    }
}
