using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Helio.Server.Features.Telemetry.Export;

/// <summary>
/// Writes a <see cref="SeriesTable"/> as RFC 4180 CSV: UTF-8 without BOM, comma separated, CRLF line ends,
/// invariant culture, timestamps as ISO 8601 with offset, an empty cell for a missing value.
/// Cells are formatted straight into the pipe's buffer (UTF-8 span formatting), so a row costs no allocation.
/// </summary>
internal static class CsvSeries
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Bytes buffered before awaiting a flush: bounds memory and lets a slow client slow the query down.</summary>
    private const int FlushThreshold = 32 * 1024;

    // Round-trips the instant and keeps the local offset (a day of readings crosses a DST change); fractional
    // seconds appear only when present, so whole-second readings read "2026-11-30T14:05:00+01:00".
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    // A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"); headers can carry
    // user-chosen names, so such text gets a leading apostrophe. Numbers are never text cells and are left alone.
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    /// <summary>Writes and flushes; the caller owns (and completes) <paramref name="output"/>.</summary>
    public static async Task WriteAsync(SeriesTable table, PipeWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);

        long pending = WriteHeader(table, output);
        await foreach (var row in table.Rows.WithCancellation(cancellationToken))
        {
            pending += WriteRow(table, row, output);
            if (pending >= FlushThreshold)
            {
                pending = 0;
                var flushed = await output.FlushAsync(cancellationToken);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return; // nobody reads any more (client gone): stop pulling rows from the database
                }
            }
        }
        await output.FlushAsync(cancellationToken);
    }

    private static int WriteHeader(SeriesTable table, IBufferWriter<byte> output)
    {
        var written = WriteText(output, table.KeyHeader);
        foreach (var header in table.ValueHeaders)
        {
            written += WriteByte(output, (byte)',');
            written += WriteText(output, header);
        }
        return written + WriteNewLine(output);
    }

    private static int WriteRow(SeriesTable table, in SeriesRow row, IBufferWriter<byte> output)
    {
        var values = table.ValuesOf(row);
        var written = row.HasTimestamp ? WriteTimestamp(output, row.Timestamp) : WriteText(output, row.Label);
        foreach (var value in values)
        {
            written += WriteByte(output, (byte)',');
            written += WriteNumber(output, value);
        }
        return written + WriteNewLine(output);
    }

    private static int WriteTimestamp(IBufferWriter<byte> output, DateTimeOffset timestamp)
    {
        var span = output.GetSpan(64);
        if (!timestamp.TryFormat(span, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A timestamp did not fit its buffer.");
        }
        output.Advance(written);
        return written;
    }

    private static int WriteNumber(IBufferWriter<byte> output, double? value)
    {
        // NaN and infinities are not measurements, and spreadsheets would read them as text: leave the cell empty.
        if (value is not { } number || !double.IsFinite(number))
        {
            return 0;
        }
        var span = output.GetSpan(32);
        if (!number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A number did not fit its buffer.");
        }
        output.Advance(written);
        return written;
    }

    private static int WriteText(IBufferWriter<byte> output, string text)
    {
        var rest = text.AsSpan();
        var quote = rest.ContainsAny(NeedsQuotes);
        var defuse = rest.Length > 0 && FormulaStarts.Contains(rest[0]);

        // Worst case: every char becomes its longest UTF-8 form, every quote is doubled, plus quotes and apostrophe.
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(rest.Length) + rest.Length + 3);
        var at = 0;
        if (quote)
        {
            span[at++] = (byte)'"';
        }
        if (defuse)
        {
            span[at++] = (byte)'\'';
        }
        while (true)
        {
            var next = quote ? rest.IndexOf('"') : -1;
            at += Encoding.UTF8.GetBytes(next < 0 ? rest : rest[..next], span[at..]);
            if (next < 0)
            {
                break;
            }
            span[at++] = (byte)'"';
            span[at++] = (byte)'"';
            rest = rest[(next + 1)..];
        }
        if (quote)
        {
            span[at++] = (byte)'"';
        }
        output.Advance(at);
        return at;
    }

    private static int WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
        return 1;
    }

    private static int WriteNewLine(IBufferWriter<byte> output)
    {
        "\r\n"u8.CopyTo(output.GetSpan(2));
        output.Advance(2);
        return 2;
    }
}
