using System.Diagnostics.CodeAnalysis;

namespace Helio.Server.Features.Telemetry.Export;

/// <summary>
/// A time-series table to export: a key column (timestamps or labels) followed by numeric columns.
/// The rows are a stream that the writer enumerates once, so a raw-readings export of 100k+ rows
/// never has to sit in memory: hand over the database query itself.
/// </summary>
internal sealed class SeriesTable
{
    /// <param name="keyHeader">Header of the first column. For timestamps it names the plant's zone,
    /// e.g. "Time (Europe/Berlin)": the XLSX shows local wall-clock time, which says nothing of the offset on its own.</param>
    /// <param name="valueHeaders">One header per value column, unit included, e.g. "Power (W)".</param>
    /// <param name="rows">Enumerated once per write; every row has exactly one value per value header.</param>
    public SeriesTable(string keyHeader, IReadOnlyList<string> valueHeaders, IAsyncEnumerable<SeriesRow> rows)
    {
        ArgumentNullException.ThrowIfNull(keyHeader);
        ArgumentNullException.ThrowIfNull(valueHeaders);
        ArgumentNullException.ThrowIfNull(rows);
        KeyHeader = keyHeader;
        ValueHeaders = valueHeaders;
        Rows = rows;
    }

    /// <summary>For rows already at hand (a month of daily bars) or produced lazily in memory.</summary>
    public SeriesTable(string keyHeader, IReadOnlyList<string> valueHeaders, IEnumerable<SeriesRow> rows)
        : this(keyHeader, valueHeaders, (rows ?? throw new ArgumentNullException(nameof(rows))).ToAsyncEnumerable())
    {
    }

    public string KeyHeader { get; }

    public IReadOnlyList<string> ValueHeaders { get; }

    public IAsyncEnumerable<SeriesRow> Rows { get; }

    /// <summary>The row's values, checked against the headers: a short row would silently shift every later column.</summary>
    internal ReadOnlySpan<double?> ValuesOf(in SeriesRow row)
    {
        var values = row.Values.Span;
        if (values.Length != ValueHeaders.Count)
        {
            throw new InvalidOperationException($"A row has {values.Length} values but the table has {ValueHeaders.Count} value columns.");
        }
        return values;
    }
}

/// <summary>
/// One row: a timestamp (in the plant's local offset) or a label ("2026-11", "14:00"), then the values, null where
/// nothing was measured. The writers are done with a row's values before they ask for the next row, so a producer
/// of many rows may refill one buffer instead of allocating an array per row.
/// </summary>
internal readonly struct SeriesRow
{
    private SeriesRow(DateTimeOffset timestamp, string? label, ReadOnlyMemory<double?> values)
    {
        Timestamp = timestamp;
        Label = label;
        Values = values;
    }

    public static SeriesRow At(DateTimeOffset timestamp, ReadOnlyMemory<double?> values) => new(timestamp, null, values);

    public static SeriesRow Labelled(string label, ReadOnlyMemory<double?> values) =>
        new(default, label ?? throw new ArgumentNullException(nameof(label)), values);

    /// <summary>Meaningful only when <see cref="HasTimestamp"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    public string? Label { get; }

    [MemberNotNullWhen(false, nameof(Label))]
    public bool HasTimestamp => Label is null;

    public ReadOnlyMemory<double?> Values { get; }
}
