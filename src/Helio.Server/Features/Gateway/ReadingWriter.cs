using Helio.Server.Features.Telemetry;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// Hands each polled reading to the telemetry store and waits until its batch has committed, so a session polls
/// again only once its last reading is safe, and a slow database slows polling rather than losing readings.
/// </summary>
internal sealed class ReadingWriter(TelemetryWriter writer, GatewayMetrics metrics) : IReadingSink
{
    public async ValueTask AcceptAsync(PolledReading polled, CancellationToken cancellationToken)
    {
        var reading = new TelemetryReading(polled.InverterSerial, LoggerSerials.Format(polled.LoggerSerial), polled.At.ToUnixTimeMilliseconds(), polled.Reading);
        var stored = await writer.StoreAsync([reading], cancellationToken);
        metrics.Readings("gateway", stored[0] ? "stored" : "duplicate", 1);
    }
}
