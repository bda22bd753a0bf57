namespace Helio.Server.Features.Ingest;

public sealed record IngestKeyRequest(string? Name);

/// <summary>A key as listed: never the secret.</summary>
public sealed record IngestKeyDto(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RotatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static IngestKeyDto From(IngestKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.RotatedAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>A key just created or rotated: the only answer that carries the secret.</summary>
public sealed record NewIngestKeyDto(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);
