using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Privacy.Requests;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Helio.Server.Features.Privacy.Export;

/// <summary>
/// Writes one person's export as a ZIP, streamed (ADR 0025): <see cref="ZipArchive"/> in create mode over a file
/// stream, each entry written straight into its compressor, and the big tables (readings, alarms, the access log) read
/// in keyset-paged, untracked batches of <see cref="ExportOptions.BatchSize"/>; nothing holds the whole set. The small
/// sections are "My data" itself (<see cref="GetMyData"/>, the same JSON as <c>GET /api/v1/me/data</c>, which leaves
/// out password hashes, 2FA secrets, blind indexes, token hashes and keys), with CSV copies of its tables; an
/// index.html summarises it all for people. Progress goes to <see cref="IExportProgress"/> after every section and batch.
/// </summary>
internal sealed class WriteExport(
    HelioDbContext db, GetMyData myData, ListAccessLog accessLog, IOptions<HttpJsonOptions> json, IOptions<ExportOptions> options, TimeProvider clock)
{
    /// <summary>my-data.json, the tables and consents, the access log, readings, alarms, index.html.</summary>
    public const int Sections = 6;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the ZIP to <paramref name="path"/> (replacing a half-written one); returns what the summary counted.</summary>
    public async Task<ExportCounts> WriteAsync(Guid userId, string path, IExportProgress progress, CancellationToken cancellationToken)
    {
        var data = await myData.HandleAsync(userId, cancellationToken) ?? throw new InvalidOperationException("The account no longer exists.");
        var counts = new ExportCounts();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            await EntryAsync(zip, "my-data.json", async stream =>
            {
                await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                JsonSerializer.Serialize(writer, data, json.Value.SerializerOptions);
                await writer.FlushAsync(cancellationToken);
            }, cancellationToken);
            await progress.ReportAsync(1, counts.Rows, cancellationToken);

            await TablesAsync(zip, data, counts, cancellationToken);
            await ConsentsAsync(zip, data, counts, cancellationToken);
            await progress.ReportAsync(2, counts.Rows, cancellationToken);

            await TextEntryAsync(zip, "access-log.csv", csv => AccessLogAsync(userId, csv, counts, progress, 2, cancellationToken), cancellationToken);
            await progress.ReportAsync(3, counts.Rows, cancellationToken);

            var readings = new ExportReadings(db, options.Value.BatchSize);
            await TextEntryAsync(zip, "telemetry/readings.csv", csv => readings.WriteAsync(userId, csv, counts, progress, 3, cancellationToken), cancellationToken);
            await progress.ReportAsync(4, counts.Rows, cancellationToken);

            var alarms = new ExportAlarms(db, options.Value.BatchSize);
            await EntryAsync(zip, "alarms/alarms.json", stream => alarms.WriteJsonAsync(userId, stream, counts, progress, 4, cancellationToken), cancellationToken);
            await TextEntryAsync(zip, "alarms/alarms.csv", csv => alarms.WriteCsvAsync(userId, csv, cancellationToken), cancellationToken);
            await progress.ReportAsync(5, counts.Rows, cancellationToken);

            await TextEntryAsync(zip, "index.html", writer =>
            {
                ExportSummary.Write(writer, data, counts, clock.GetUtcNow());
                return Task.CompletedTask;
            }, cancellationToken);
        }
        await file.FlushAsync(cancellationToken);
        await progress.ReportAsync(Sections, counts.Rows, cancellationToken);
        return counts;
    }

    private static async Task TablesAsync(ZipArchive zip, MyDataDto data, ExportCounts counts, CancellationToken cancellationToken)
    {
        await TextEntryAsync(zip, "plants.csv", writer =>
        {
            var csv = new CsvRows(writer).Header("id", "name", "address", "country", "latitude", "longitude", "time_zone", "capacity_kwp",
                "commissioning_date", "feed_in_tariff", "currency", "devices", "created_at");
            foreach (var p in data.Plants)
            {
                csv.Text(p.Id.ToString()).Text(p.Name).Text(p.Address).Text(p.Country).Double(p.Latitude).Double(p.Longitude).Text(p.TimeZone)
                    .Double(p.CapacityKwp).Text(p.CommissioningDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                    .Text(p.FeedInTariff?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Text(p.Currency).Number(p.DeviceCount).Time(p.CreatedAt).End();
                counts.Rows++;
            }
            return Task.CompletedTask;
        }, cancellationToken);
        await TextEntryAsync(zip, "devices.csv", writer =>
        {
            var csv = new CsvRows(writer).Header("serial_number", "kind", "model", "plant_id", "added_at");
            foreach (var d in data.Devices)
            {
                csv.Text(d.SerialNumber).Text(ExportNames.Of(d.Kind)).Text(d.Model).Text(d.PlantId.ToString()).Time(d.CreatedAt).End();
                counts.Rows++;
            }
            return Task.CompletedTask;
        }, cancellationToken);
        await TextEntryAsync(zip, "requests.csv", writer =>
        {
            var csv = new CsvRows(writer).Header("id", "kind", "state", "received_at", "verified_at", "due_date", "closed_at");
            foreach (var r in data.Requests)
            {
                csv.Text(r.Id.ToString()).Text(RequestText.Key(r.Kind)).Text(RequestText.Key(r.State)).Time(r.ReceivedAt).Time(r.VerifiedAt)
                    .Text(r.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Time(r.ClosedAt).End();
                counts.Rows++;
            }
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>Every consent decision ever recorded (appended, never overwritten), as a table; my-data.json has them
    /// too, with each purpose as it stands (the consents section of My data).</summary>
    private static Task ConsentsAsync(ZipArchive zip, MyDataDto data, ExportCounts counts, CancellationToken cancellationToken)
    {
        var consents = Consent.ConsentsSection.Of(data);
        counts.Consents = consents.Current.Count(c => c.Given);
        return TextEntryAsync(zip, "consents.csv", writer =>
        {
            var csv = new CsvRows(writer).Header("at", "purpose", "given", "method", "policy_version");
            foreach (var record in consents.History)
            {
                csv.Time(record.At).Text(record.Purpose).Text(record.Given ? "yes" : "no").Text(record.Method).Text(record.PolicyVersion).End();
                counts.Rows++;
            }
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>Every entry of "who accessed my data", page by page through its own cursor (newest first).</summary>
    private async Task AccessLogAsync(Guid userId, TextWriter writer, ExportCounts counts, IExportProgress progress, int sectionsDone, CancellationToken cancellationToken)
    {
        var csv = new CsvRows(writer).Header("at", "action", "what", "who_kind", "who", "plant_id", "plant_name");
        string? cursor = null;
        do
        {
            var page = (await accessLog.HandleAsync(userId, cursor, AuditPaging.MaxLimit, cancellationToken)).Value!;
            foreach (var line in page.Items)
            {
                csv.Time(line.At).Text(line.Action).Text(line.What).Text(line.Who.Kind).Text(line.Who.Description).Text(line.PlantId?.ToString()).Text(line.PlantName).End();
                counts.AccessLog++;
                counts.Rows++;
            }
            cursor = page.Next;
            await progress.ReportAsync(sectionsDone, counts.Rows, cancellationToken);
        }
        while (cursor is not null);
    }

    private static async Task EntryAsync(ZipArchive zip, string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = entry.Open();
        await write(stream);
    }

    private static Task TextEntryAsync(ZipArchive zip, string name, Func<TextWriter, Task> write, CancellationToken cancellationToken) =>
        EntryAsync(zip, name, async stream =>
        {
            await using var writer = new StreamWriter(stream, Utf8, 64 * 1024);
            await write(writer);
            await writer.FlushAsync(cancellationToken);
        }, cancellationToken);
}

/// <summary>Where an export's progress goes: sections done (of <see cref="WriteExport.Sections"/>) and rows written so far.</summary>
internal interface IExportProgress
{
    Task ReportAsync(int sectionsDone, long rowsWritten, CancellationToken cancellationToken);
}

/// <summary>What the export held, for its summary and its outcome.</summary>
internal sealed class ExportCounts
{
    public long Rows { get; set; }
    public long Readings { get; set; }
    public long Alarms { get; set; }
    public long AccessLog { get; set; }
    public int Consents { get; set; }
}

internal static class ExportNames
{
    /// <summary>An enum's JSON name ("inverter", "in-progress"), as the API writes it.</summary>
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');
}
