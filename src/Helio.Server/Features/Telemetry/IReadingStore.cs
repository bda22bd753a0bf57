namespace Helio.Server.Features.Telemetry;

/// <summary>Where <see cref="TelemetryWriter"/> commits its batches: one implementation per database.</summary>
internal interface IReadingStore : IAsyncDisposable
{
    /// <summary>
    /// Stores the batch in one transaction, with the rollup marks of the buckets it touched. On return
    /// <paramref name="stored"/>[i] is true for a reading stored now and false for one already stored (same device
    /// and millisecond); if it throws, nothing of the batch is stored.
    /// </summary>
    Task WriteAsync(IReadOnlyList<TelemetryReading> batch, bool[] stored, CancellationToken cancellationToken);
}
