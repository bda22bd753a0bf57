using System.Globalization;
using System.Text.Json;
using Helio.Protocols.RegisterMaps;
using Helio.Server.Features.Devices;
using Helio.Server.Features.Gateway;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Ingest;

/// <summary>
/// Stores a batch of readings for the plant an ingest key belongs to (HTTP and MQTT alike). Each reading is
/// judged on its own: a bad one is refused with the field and the reason, the others are stored, once per
/// (inverter, instant). An inverter the plant does not have yet is added to it, as the gateway does for an
/// inverter found behind a registered logger; one registered to another plant is refused.
/// A reading counts as accepted only once its batch has committed.
/// </summary>
internal sealed class IngestReadings(HelioDbContext db, TimeProvider time, GatewayMetrics metrics)
{
    public const int MaxReadings = 500;
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(366);

    /// <param name="source">"http" or "mqtt", for the metrics.</param>
    public async Task<IngestResponse> HandleAsync(string source, Guid plantId, IReadOnlyList<IngestReadingRequest?> readings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var results = new IngestResult[readings.Count];
        var valid = new List<(int Index, GatewayReading Row)>(readings.Count);
        for (var i = 0; i < readings.Count; i++)
        {
            if (Check(readings[i], now) is { } problem)
            {
                results[i] = new IngestResult(i, IngestStatus.Refused, problem.Field, problem.Reason);
            }
            else
            {
                valid.Add((i, ToRow(readings[i]!)));
            }
        }

        var refusedSerials = await AdoptUnknownInvertersAsync(plantId, valid.Select(v => v.Row.InverterSerial).Distinct().ToList(), cancellationToken);
        var toStore = new List<GatewayReading>(valid.Count);
        foreach (var (index, row) in valid)
        {
            if (refusedSerials.TryGetValue(row.InverterSerial, out var reason))
            {
                results[index] = new IngestResult(index, IngestStatus.Refused, "serialNumber", reason);
            }
            else
            {
                toStore.Add(row);
            }
        }
        var duplicates = toStore.Count == 0 ? [] : (await ReadingInserts.InsertNewAsync(db, toStore, cancellationToken)).ToHashSet();
        foreach (var (index, row) in valid)
        {
            results[index] ??= new IngestResult(index, duplicates.Contains(row) ? IngestStatus.Duplicate : IngestStatus.Accepted);
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

    private static (string Field, string Reason)? Check(IngestReadingRequest? reading, DateTimeOffset now)
    {
        if (reading is null)
        {
            return ("", "A reading must be an object.");
        }
        if (SerialNumbers.Problem(DeviceKind.Inverter, reading.SerialNumber) is { } serialProblem)
        {
            return ("serialNumber", serialProblem);
        }
        if (!TryParseInstant(reading.Timestamp, out var at))
        {
            return ("timestamp", "Must be an ISO 8601 time with an offset, e.g. 2026-11-30T10:00:00Z.");
        }
        if (at > now + MaxAhead || at < now - MaxAge)
        {
            return ("timestamp", "Must be within the last 366 days and at most 5 minutes ahead of the server's clock.");
        }
        if (reading.Values is not { Count: > 0 } values)
        {
            return ("values", "Required: at least one metric, e.g. {\"activePowerW\": 5230}.");
        }
        foreach (var name in values.Keys)
        {
            if (!Metrics.TryParse(name, out _))
            {
                return ($"values.{name}", "Unknown metric; the names are listed in docs/metrics.md.");
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

    /// <summary>A time without an offset is refused: whose local time it is cannot be guessed.</summary>
    private static bool TryParseInstant(string? text, out DateTimeOffset at)
    {
        at = default;
        if (text is null || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) || parsed.Kind == DateTimeKind.Unspecified)
        {
            return false;
        }
        at = ReadingInserts.Instant(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        return true;
    }

    private static GatewayReading ToRow(IngestReadingRequest reading)
    {
        TryParseInstant(reading.Timestamp, out var at);
        return new GatewayReading
        {
            InverterSerial = SerialNumbers.Normalise(reading.SerialNumber!),
            At = at,
            State = reading.State ?? JsonNamingPolicy.CamelCase.ConvertName(nameof(InverterState.Unknown)),
            Faults = string.Join(',', (reading.Faults ?? []).Distinct().Order()),
            Values = JsonSerializer.Serialize(reading.Values),
        };
    }

    /// <summary>Serials this plant may not report (a logger, or an inverter registered elsewhere), with the reason.</summary>
    private async Task<Dictionary<string, string>> AdoptUnknownInvertersAsync(Guid plantId, List<string> serials, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = await db.Devices.Where(d => serials.Contains(d.SerialNumber)).Select(d => new { d.SerialNumber, d.PlantId, d.Kind }).ToListAsync(cancellationToken);
        foreach (var device in known.Where(d => d.PlantId != plantId || d.Kind != DeviceKind.Inverter))
        {
            refused[device.SerialNumber] = device.PlantId == plantId ? "This serial number is a data logger's; send the inverter's." : RegisterDevice.Taken;
        }
        foreach (var serial in serials.Except(known.Select(d => d.SerialNumber)))
        {
            if (await AdoptInverter.IntoPlantAsync(db, time, plantId, serial, cancellationToken) is Adoption.HeldElsewhere)
            {
                refused[serial] = RegisterDevice.Taken;
            }
        }
        return refused;
    }
}
