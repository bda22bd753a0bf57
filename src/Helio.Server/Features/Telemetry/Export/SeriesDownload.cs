using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Helio.Server.Features.Telemetry.Export;

/// <summary>What a telemetry query answers with, from its <c>format</c> query value.</summary>
internal enum SeriesFormat
{
    Json,
    Csv,
    Xlsx,
}

/// <summary>Turns a <see cref="SeriesTable"/> into a file download for the telemetry query endpoints.</summary>
internal static class SeriesDownload
{
    /// <summary>The query parameter, named by the problem an unknown value gets.</summary>
    public const string FormatField = "format";

    private const int MaxFileNameLength = 100;

    /// <summary>Absent or empty means JSON; otherwise json, csv or xlsx in any case. Anything else is false.</summary>
    public static bool TryParseFormat(string? value, out SeriesFormat format)
    {
        format = SeriesFormat.Json;
        if (string.IsNullOrEmpty(value) || value.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (value.Equals("csv", StringComparison.OrdinalIgnoreCase))
        {
            format = SeriesFormat.Csv;
            return true;
        }
        if (value.Equals("xlsx", StringComparison.OrdinalIgnoreCase))
        {
            format = SeriesFormat.Xlsx;
            return true;
        }
        return false;
    }

    /// <summary>The 400 answer for a format <see cref="TryParseFormat"/> refused.</summary>
    public static IResult InvalidFormat() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [FormatField] = ["Use json, csv or xlsx."] });

    /// <summary>
    /// A download of <paramref name="table"/>; <paramref name="fileName"/> is made a safe ASCII name and gets the
    /// format's extension. The rows are written as they come, to the response's pipe, when the result executes.
    /// </summary>
    public static IResult Create(SeriesTable table, SeriesFormat format, string fileName)
    {
        ArgumentNullException.ThrowIfNull(table);
        return format switch
        {
            SeriesFormat.Csv => new SeriesFileResult(table, format, CsvSeries.ContentType, SafeFileName(fileName, ".csv")),
            SeriesFormat.Xlsx => new SeriesFileResult(table, format, XlsxSeries.ContentType, SafeFileName(fileName, ".xlsx")),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "JSON is the endpoint's own typed result."),
        };
    }

    /// <summary>
    /// ASCII letters, digits, '-', '_' and '.', accents dropped ("München" → "Munchen"), the rest as '_': nothing
    /// that needs quoting or encoding in Content-Disposition, nor that a file system or a shell would treat specially.
    /// </summary>
    internal static string SafeFileName(string? name, string extension)
    {
        var builder = new StringBuilder(MaxFileNameLength);
        foreach (var c in (name ?? string.Empty).Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var safe = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_';
            if (safe == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }
            builder.Append(safe);
        }
        var stem = builder.ToString();
        if (stem.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            stem = stem[..^extension.Length];
        }
        // A leading dot hides the file; trailing dots vanish on Windows.
        stem = stem.Trim('.', '_');
        if (stem.Length > MaxFileNameLength)
        {
            stem = stem[..MaxFileNameLength].TrimEnd('.', '_');
        }
        return (stem.Length == 0 ? "export" : stem) + extension;
    }

    /// <summary>Writes the table as CSV or XLSX to a pipe (a response body), which the caller completes.</summary>
    public static Task WriteAsync(SeriesTable table, SeriesFormat format, PipeWriter output, CancellationToken cancellationToken) => format switch
    {
        SeriesFormat.Csv => CsvSeries.WriteAsync(table, output, cancellationToken),
        SeriesFormat.Xlsx => XlsxSeries.WriteAsync(table, output, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "JSON is the endpoint's own typed result."),
    };

    /// <summary>The same to a stream (a file, a test), left open.</summary>
    public static async Task WriteAsync(SeriesTable table, SeriesFormat format, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            await WriteAsync(table, format, writer, cancellationToken);
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
            throw;
        }
        await writer.CompleteAsync();
    }

    private sealed class SeriesFileResult(SeriesTable table, SeriesFormat format, string contentType, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return WriteAsync(table, format, response.BodyWriter, httpContext.RequestAborted);
        }
    }
}
