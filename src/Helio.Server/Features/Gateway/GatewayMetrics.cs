using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helio.Protocols.SolarmanV5;

namespace Helio.Server.Features.Gateway;

/// <summary>
/// What the connection to equipment is doing, as OpenTelemetry metrics (scraped at /metrics; listed in the README, "Metrics"):
/// loggers connected, frames by type, garbage, why connections ended, how long the inverter takes to answer, and
/// readings stored by where they came from. Counts and kinds only: no serials, no addresses.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Helio.Gateway";

    private readonly UpDownCounter<int> connections;
    private readonly Counter<long> frames;
    private readonly Counter<long> badFrames;
    private readonly Counter<long> garbageBytes;
    private readonly Counter<long> disconnects;
    private readonly Histogram<double> requestDuration;
    private readonly Counter<long> readings;

    public GatewayMetrics(Meter meter)
    {
        connections = meter.CreateUpDownCounter<int>("helio.gateway.connections", "{connection}", "Logger connections open now");
        frames = meter.CreateCounter<long>("helio.gateway.frames", "{frame}", "V5 frames received, by control code");
        badFrames = meter.CreateCounter<long>("helio.gateway.bad_frames", "{frame}", "Runs of bytes skipped because they were no valid frame (bad start, length or checksum)");
        garbageBytes = meter.CreateCounter<long>("helio.gateway.garbage", "By", "Bytes skipped because they were no valid frame");
        disconnects = meter.CreateCounter<long>("helio.gateway.disconnects", "{connection}", "Logger connections ended, by reason");
        requestDuration = meter.CreateHistogram<double>("helio.gateway.request.duration", "s", "Time from a Modbus request to the logger until its answer, or until the timeout",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });
        readings = meter.CreateCounter<long>("helio.readings", "{reading}", "Readings received, by source (gateway, http, mqtt) and outcome (stored, duplicate, refused)");
    }

    public GatewayMetrics(IMeterFactory factory)
        : this(factory.Create(MeterName))
    {
    }

    public void Connected() => connections.Add(1);

    public void Disconnected(string reason)
    {
        connections.Add(-1);
        disconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>A connection refused before it became a session (the node is full).</summary>
    public void Refused() => disconnects.Add(1, new KeyValuePair<string, object?>("reason", "full"));

    public void Frame(V5ControlCode code) => frames.Add(1, new KeyValuePair<string, object?>("type", FrameType(code)));

    public void Garbage(long bytes)
    {
        badFrames.Add(1);
        garbageBytes.Add(bytes);
    }

    public void Request(TimeSpan duration, bool answered) =>
        requestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", answered ? "answered" : "timeout"));

    public void Readings(string source, string outcome, int count)
    {
        if (count > 0)
        {
            readings.Add(count, new TagList { { "source", source }, { "outcome", outcome } });
        }
    }

    /// <summary>Tag values from a fixed set, so a logger sending odd codes cannot grow the metric without end.</summary>
    private static string FrameType(V5ControlCode code) => code switch
    {
        V5ControlCode.Handshake => "handshake",
        V5ControlCode.Data => "data",
        V5ControlCode.Info => "info",
        V5ControlCode.Heartbeat => "heartbeat",
        V5ControlCode.Report => "report",
        V5ControlCode.Response => "response",
        _ => "other",
    };
}
