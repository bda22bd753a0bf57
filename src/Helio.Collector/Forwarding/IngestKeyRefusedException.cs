using System.Net;

namespace Helio.Collector.Forwarding;

/// <summary>The server refused the ingest key: the collector stops, because nothing it sends would get through.</summary>
public sealed class IngestKeyRefusedException(HttpStatusCode status)
    : Exception($"the server refused the ingest key ({(int)status} {status}): it is wrong, revoked or was rotated. Create a new key for the plant in Helio and start the collector with it.")
{
    public HttpStatusCode Status { get; } = status;
}
