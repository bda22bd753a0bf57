using System.ComponentModel.DataAnnotations;

namespace Helio.Server.Features.Ingest;

/// <summary>Settings under "Ingest".</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Requests per ingest key per minute, per node. A collector sends about one a minute; a backlog of
    /// 500-reading batches replays at 60,000 readings a minute.</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 120;
}
