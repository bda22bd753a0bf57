using System.Text.Json;
using Helio.Server.Features.Alarms;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// The alarms of the person's plants with their histories: JSON (each alarm with its rule's explanation and its
/// events) written token by token with <see cref="Utf8JsonWriter"/>, and a flat CSV of the alarms. Keyset-paged on the
/// alarm's id, untracked, each page's events in one query. Who acknowledged an alarm is the person themselves or
/// someone else, never that someone's id: it is not the person's data.
/// </summary>
internal sealed class ExportAlarms(HelioDbContext db, int batchSize)
{
    public async Task WriteJsonAsync(Guid userId, Stream stream, ExportCounts counts, IExportProgress progress, int sectionsDone, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        await foreach (var page in PagesAsync(userId, cancellationToken))
        {
            var ids = page.Select(a => a.Id).ToList();
            var events = (await db.AlarmEvents.AsNoTracking().Where(e => ids.Contains(e.AlarmId)).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken))
                .ToLookup(e => e.AlarmId);
            foreach (var alarm in page)
            {
                WriteAlarm(json, alarm, events[alarm.Id], userId);
            }
            counts.Alarms += page.Count;
            counts.Rows += page.Count;
            await json.FlushAsync(cancellationToken);
            await progress.ReportAsync(sectionsDone, counts.Rows, cancellationToken);
        }
        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
    }

    public async Task WriteCsvAsync(Guid userId, TextWriter writer, CancellationToken cancellationToken)
    {
        var csv = new CsvRows(writer).Header("id", "plant_id", "device_serial", "source", "code", "severity", "state", "title", "raised_at", "last_seen_at",
            "occurrences", "acknowledged_at", "cleared_at", "closed_at");
        await foreach (var page in PagesAsync(userId, cancellationToken))
        {
            foreach (var a in page)
            {
                csv.Text(a.Id.ToString()).Text(a.PlantId.ToString()).Text(a.DeviceSerial).Text(ExportNames.Of(a.Source)).Text(a.Code).Text(ExportNames.Of(a.Severity))
                    .Text(ExportNames.Of(a.State)).Text(a.Title).Time(a.RaisedAt).Time(a.LastSeenAt).Number(a.Occurrences).Time(a.AcknowledgedAt)
                    .Time(a.ClearedAt).Time(a.ClosedAt).End();
            }
        }
    }

    private async IAsyncEnumerable<List<Alarm>> PagesAsync(Guid userId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            var query = from a in db.Alarms.AsNoTracking()
                        join p in db.Plants on a.PlantId equals p.Id
                        where p.OwnerId == userId
                        select a;
            if (after is { } last)
            {
                query = query.Where(a => a.Id.CompareTo(last) > 0);
            }
            var page = await query.OrderBy(a => a.Id).Take(batchSize).ToListAsync(cancellationToken);
            if (page.Count > 0)
            {
                yield return page;
            }
            if (page.Count < batchSize)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    private static void WriteAlarm(Utf8JsonWriter json, Alarm alarm, IEnumerable<AlarmEvent> events, Guid userId)
    {
        json.WriteStartObject();
        json.WriteString("id", alarm.Id);
        json.WriteString("plantId", alarm.PlantId);
        json.WriteString("deviceSerial", alarm.DeviceSerial);
        json.WriteString("source", ExportNames.Of(alarm.Source));
        json.WriteString("code", alarm.Code);
        json.WriteString("severity", ExportNames.Of(alarm.Severity));
        json.WriteString("state", ExportNames.Of(alarm.State));
        json.WriteString("title", alarm.Title);
        json.WriteString("action", alarm.Action);
        json.WriteString("raisedAt", alarm.RaisedAt);
        json.WriteString("lastSeenAt", alarm.LastSeenAt);
        json.WriteNumber("occurrences", alarm.Occurrences);
        Optional(json, "acknowledgedAt", alarm.AcknowledgedAt);
        Optional(json, "clearedAt", alarm.ClearedAt);
        Optional(json, "closedAt", alarm.ClosedAt);
        // The rule, inputs and thresholds that raised it (an automated decision), as stored.
        json.WritePropertyName("explanation");
        json.WriteRawValue(alarm.Explanation);
        json.WriteStartArray("events");
        foreach (var e in events)
        {
            json.WriteStartObject();
            json.WriteString("event", ExportNames.Of(e.Kind));
            json.WriteString("at", e.At);
            json.WriteString("by", e.ActorId is null ? "Helio" : e.ActorId == userId ? "you" : "someone else");
            json.WriteString("detail", e.Detail);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
