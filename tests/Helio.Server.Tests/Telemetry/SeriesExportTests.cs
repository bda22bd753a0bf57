using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Helio.Server.Features.Telemetry.Export;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helio.Server.Tests.Telemetry;

public sealed class SeriesExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Summer = TimeSpan.FromHours(2);

    private static SeriesTable PowerTable() => new(
        "Time (Europe/Berlin)",
        ["Power (W)", "Energy, total (kWh)", "Grid \"import\" (W)"],
        [
            SeriesRow.At(new DateTimeOffset(2026, 11, 30, 14, 5, 0, Winter), new double?[] { 1234.5, null, -0.25 }),
            SeriesRow.At(new DateTimeOffset(2026, 7, 1, 9, 0, 0, 500, Summer), new double?[] { null, 0.001, 1e-7 }),
        ]);

    [Fact]
    public async Task Csv_QuotesHeaders_LeavesNullsEmpty_KeepsOffsets_InInvariantCulture_UnderGermanCulture()
    {
        var bytes = await WithCulture("de-DE", () => CsvBytesAsync(PowerTable()));

        Assert.Equal(
            "Time (Europe/Berlin),Power (W),\"Energy, total (kWh)\",\"Grid \"\"import\"\" (W)\"\r\n" +
            "2026-11-30T14:05:00+01:00,1234.5,,-0.25\r\n" +
            "2026-07-01T09:00:00.5+02:00,,0.001,1E-07\r\n",
            Encoding.UTF8.GetString(bytes));
        Assert.Equal((byte)'T', bytes[0]); // no byte-order mark
    }

    [Fact]
    public async Task Csv_LabelRows_AreQuotedWhenNeeded_FormulaLikeTextIsDefused_NonFiniteIsEmpty()
    {
        var table = new SeriesTable("Month", ["-Total (kWh)", "Ertrag (kWh)"],
        [
            SeriesRow.Labelled("2026-11", new double?[] { 412.25, double.NaN }),
            SeriesRow.Labelled("14:00", new double?[] { double.PositiveInfinity, 0 }),
            SeriesRow.Labelled("a,b", new double?[] { 1, 2 }),
            SeriesRow.Labelled("=HYPERLINK(\"x\")", new double?[] { null, null }),
        ]);

        var csv = Encoding.UTF8.GetString(await CsvBytesAsync(table));

        Assert.Equal(
            "Month,'-Total (kWh),Ertrag (kWh)\r\n" +
            "2026-11,412.25,\r\n" +
            "14:00,,0\r\n" +
            "\"a,b\",1,2\r\n" +
            "\"'=HYPERLINK(\"\"x\"\")\",,\r\n",
            csv);
    }

    [Fact]
    public async Task Csv_RowWithTheWrongNumberOfValues_Throws()
    {
        var table = new SeriesTable("Time", ["Power (W)", "Energy (kWh)"], [SeriesRow.Labelled("x", new double?[] { 1 })]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => CsvBytesAsync(table));
    }

    [Fact]
    public async Task Xlsx_OpensBack_Valid_WithHeaders_NumericCells_LocalDateCells_AndEveryRow()
    {
        var bytes = await WithCulture("de-DE", () => XlsxBytesAsync(PowerTable()));

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);
        Assert.Empty(new OpenXmlValidator().Validate(document, Ct));

        var rows = Rows(document);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["Time (Europe/Berlin)", "Power (W)", "Energy, total (kWh)", "Grid \"import\" (W)"], rows[0].Elements<Cell>().Select(c => c.InlineString!.InnerText));

        var first = Cells(rows[1]);
        Assert.Null(first["B2"].DataType);
        Assert.Equal("1234.5", first["B2"].CellValue!.Text);
        Assert.Equal("-0.25", first["D2"].CellValue!.Text);
        Assert.False(first.ContainsKey("C2")); // missing, not zero

        // A real date: a serial number in the plant's wall-clock time, styled with a date-time format.
        var date = first["A2"];
        Assert.Null(date.DataType);
        Assert.Equal(new DateTime(2026, 11, 30, 14, 5, 0), DateTime.FromOADate(double.Parse(date.CellValue!.Text, CultureInfo.InvariantCulture)));
        var stylesheet = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet!;
        var format = stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)date.StyleIndex!.Value);
        var code = stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == format.NumberFormatId!.Value).FormatCode!.Value;
        Assert.Equal("yyyy-mm-dd hh:mm:ss", code);

        var second = Cells(rows[2]);
        Assert.Equal(new DateTime(2026, 7, 1, 9, 0, 0, 500), DateTime.FromOADate(double.Parse(second["A3"].CellValue!.Text, CultureInfo.InvariantCulture)));
        Assert.Equal("1E-07", second["D3"].CellValue!.Text);
    }

    [Fact]
    public async Task Xlsx_LabelRows_AreTextCells()
    {
        var table = new SeriesTable("Month", ["Energy (kWh)"],
        [
            SeriesRow.Labelled("2026-11", new double?[] { 412.25 }),
            SeriesRow.Labelled(" 14:00\u0001", new double?[] { null }),
        ]);

        using var document = SpreadsheetDocument.Open(new MemoryStream(await XlsxBytesAsync(table)), isEditable: false);
        Assert.Empty(new OpenXmlValidator().Validate(document, Ct));

        var rows = Rows(document);
        Assert.Equal(CellValues.InlineString, Cells(rows[1])["A2"].DataType!.Value);
        Assert.Equal("2026-11", Cells(rows[1])["A2"].InnerText);
        Assert.Equal("412.25", Cells(rows[1])["B2"].CellValue!.Text);
        Assert.Equal(" 14:00\uFFFD", Cells(rows[2])["A3"].InnerText); // spaces kept, a control char XML cannot carry replaced
    }

    [Fact]
    public async Task Xlsx_RowsFailingHalfway_LeaveNoReadableFile()
    {
        var table = new SeriesTable("Time", ["Power (W)", "Voltage (V)", "Energy (kWh)"], FailingAfter(50_000));
        var sink = new CountingStream(keep: true);
        var pipe = System.IO.Pipelines.PipeWriter.Create(sink);

        await Assert.ThrowsAsync<TimeoutException>(() => XlsxSeries.WriteAsync(table, pipe, Ct));
        await pipe.CompleteAsync(); // as if the caller swallowed the error and ended the response normally

        // A file that opened would look complete while missing rows.
        Assert.True(sink.Written > 0);
        Assert.Throws<InvalidDataException>(() => new System.IO.Compression.ZipArchive(new MemoryStream(sink.Kept.ToArray())));
    }

    [Fact]
    public async Task Csv_200kRows_StreamAsTheyCome_WithoutAllocatingPerCell()
    {
        const int count = 200_000;
        var sink = new CountingStream(keep: false);
        long writtenAtHalf = 0;
        var table = new SeriesTable("Time (Europe/Berlin)", ["Power (W)", "Voltage (V)", "Energy (kWh)"],
            ManyRows(count, () => writtenAtHalf = sink.Written));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var writing = SeriesDownload.WriteAsync(table, SeriesFormat.Csv, sink, Ct);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The sink and the rows never make it wait, so it all ran on this thread and the count above is all of it.
        Assert.True(writing.IsCompletedSuccessfully);
        await writing;

        Assert.True(sink.Written > 8_000_000, $"wrote {sink.Written} bytes");
        Assert.True(allocated < sink.Written / 20, $"allocated {allocated} bytes for {sink.Written} written");
        Assert.True(writtenAtHalf > sink.Written * 2 / 5, $"{writtenAtHalf} of {sink.Written} bytes out at half the rows");
    }

    [Fact]
    public async Task Xlsx_200kRows_StreamAsTheyCome_AndAllArrive()
    {
        const int count = 200_000;
        var sink = new CountingStream(keep: true);
        long writtenAtHalf = 0;
        var table = new SeriesTable("Time (Europe/Berlin)", ["Power (W)", "Voltage (V)", "Energy (kWh)"],
            ManyRows(count, () => writtenAtHalf = sink.Written));

        await SeriesDownload.WriteAsync(table, SeriesFormat.Xlsx, sink, Ct);

        // Half the rows in, about half the file has left: nothing holds the sheet back until the end.
        Assert.True(writtenAtHalf > sink.Written / 3, $"{writtenAtHalf} of {sink.Written} bytes out at half the rows");

        using var document = SpreadsheetDocument.Open(new MemoryStream(sink.Kept.ToArray()), isEditable: false);
        var rows = 0;
        using (var reader = OpenXmlReader.Create(document.WorkbookPart!.WorksheetParts.Single()))
        {
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Row) && reader.IsStartElement)
                {
                    rows++;
                }
            }
        }
        Assert.Equal(count + 1, rows);
    }

    [Theory]
    [InlineData(null, "Json")]
    [InlineData("", "Json")]
    [InlineData("json", "Json")]
    [InlineData("csv", "Csv")]
    [InlineData("CSV", "Csv")]
    [InlineData("xlsx", "Xlsx")]
    public void TryParseFormat_KnownOrAbsent_IsParsed(string? value, string expected)
    {
        Assert.True(SeriesDownload.TryParseFormat(value, out var format));
        Assert.Equal(expected, format.ToString());
    }

    [Theory]
    [InlineData("xls")]
    [InlineData("pdf")]
    [InlineData(" csv")]
    public void TryParseFormat_Unknown_IsFalse_AndTheProblemNamesTheField(string value)
    {
        Assert.False(SeriesDownload.TryParseFormat(value, out _));
        var problem = Assert.IsType<ValidationProblem>(SeriesDownload.InvalidFormat());
        Assert.Equal(StatusCodes.Status400BadRequest, problem.StatusCode);
        Assert.Equal(["format"], problem.ProblemDetails.Errors.Keys);
    }

    [Theory]
    [InlineData("Plant München power 2026-11-30", ".csv", "Plant_Munchen_power_2026-11-30.csv")]
    [InlineData("../../etc/passwd", ".csv", "etc_passwd.csv")]
    [InlineData("report.XLSX", ".xlsx", "report.xlsx")]
    [InlineData("a\"b;c\r\n", ".csv", "a_b_c.csv")]
    [InlineData("", ".xlsx", "export.xlsx")]
    public void SafeFileName_IsPlainAscii_WithTheFormatsExtension(string name, string extension, string expected) =>
        Assert.Equal(expected, SeriesDownload.SafeFileName(name, extension));

    [Theory]
    [InlineData("csv", "text/csv; charset=utf-8", "attachment; filename=\"Roof_power.csv\"", "Time")]
    [InlineData("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment; filename=\"Roof_power.xlsx\"", "PK")]
    public async Task Download_SetsContentType_Attachment_AndWritesTheBody(string query, string contentType, string disposition, string bodyStart)
    {
        Assert.True(SeriesDownload.TryParseFormat(query, out var format));
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await SeriesDownload.Create(PowerTable(), format, "Roof power").ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(contentType, context.Response.ContentType);
        Assert.Equal(disposition, context.Response.Headers.ContentDisposition.ToString());
        Assert.StartsWith(bodyStart, Encoding.ASCII.GetString(body.ToArray(), 0, bodyStart.Length), StringComparison.Ordinal);
    }

    [Fact]
    public void Download_AsJson_IsTheEndpointsOwnResult() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SeriesDownload.Create(PowerTable(), SeriesFormat.Json, "x"));

    /// <summary>Rows refilled into one buffer, as a raw-readings query would produce them.</summary>
    private static IEnumerable<SeriesRow> ManyRows(int count, Action atHalf)
    {
        var values = new double?[3];
        var start = new DateTimeOffset(2026, 3, 29, 0, 0, 0, Winter);
        for (var i = 0; i < count; i++)
        {
            if (i == count / 2)
            {
                atHalf();
            }
            values[0] = i % 17 == 0 ? null : 1000 + (i % 4000) * 0.5;
            values[1] = 229.5 + (i % 30) * 0.1;
            values[2] = i * 0.001;
            yield return SeriesRow.At(start.AddSeconds(i * 5L), values);
        }
    }

    private static IEnumerable<SeriesRow> FailingAfter(int count)
    {
        foreach (var row in ManyRows(count, () => { }))
        {
            yield return row;
        }
        throw new TimeoutException("The database went away.");
    }

    private static async Task<byte[]> CsvBytesAsync(SeriesTable table)
    {
        using var stream = new MemoryStream();
        await SeriesDownload.WriteAsync(table, SeriesFormat.Csv, stream, Ct);
        return stream.ToArray();
    }

    private static async Task<byte[]> XlsxBytesAsync(SeriesTable table)
    {
        // Unseekable and write-only, like a response body.
        var sink = new CountingStream(keep: true);
        await SeriesDownload.WriteAsync(table, SeriesFormat.Xlsx, sink, Ct);
        return sink.Kept.ToArray();
    }

    private static List<Row> Rows(SpreadsheetDocument document) =>
        document.WorkbookPart!.WorksheetParts.Single().Worksheet!.Descendants<Row>().ToList();

    private static Dictionary<string, Cell> Cells(Row row) =>
        row.Elements<Cell>().ToDictionary(c => c.CellReference!.Value!, StringComparer.Ordinal);

    private static async Task<T> WithCulture<T>(string name, Func<Task<T>> action)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
        try
        {
            return await action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    /// <summary>A write-only, unseekable sink that counts what reached it (and keeps it when asked).</summary>
    private sealed class CountingStream(bool keep) : Stream
    {
        public long Written { get; private set; }

        public MemoryStream Kept { get; } = new();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Written += buffer.Length;
            if (keep)
            {
                Kept.Write(buffer);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
