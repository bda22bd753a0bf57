namespace Helio.Server.Features.ApiAccounts;

public sealed record OpenApiAccountRequest(string? Name);

public sealed record AddApiAccountPlantRequest(Guid? PlantId);

public sealed record PlantLimitRequestBody(int? Limit, string? Reason);

public sealed record ApiAccountDto(
    Guid Id, string Name, string ClientId, int PlantLimit, int PlantCount,
    DateTimeOffset CreatedAt, DateTimeOffset? SecretRotatedAt, DateTimeOffset? ClosedAt);

/// <summary>The only answer that carries the secret: after opening an account or rotating its secret, never again.</summary>
public sealed record ApiAccountSecretDto(Guid Id, string ClientId, string ClientSecret);

public sealed record ApiAccountPlantDto(Guid PlantId, string Name, DateTimeOffset AddedAt);

public sealed record PlantLimitRequestDto(Guid Id, int CurrentLimit, int RequestedLimit, PlantLimitRequestState State, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

public sealed record ApiAccountDetailDto(ApiAccountDto Account, IReadOnlyList<ApiAccountPlantDto> Plants, IReadOnlyList<PlantLimitRequestDto> LimitRequests);

public sealed record ApiRequestDto(DateTimeOffset At, string Method, string Route, int Status, int DurationMs, string? ErrorTitle, string? ErrorDetail);

/// <summary>A platform admin's view of a limit request: the account's label and the owner's reason, no contact data.</summary>
public sealed record AdminPlantLimitRequestDto(
    Guid Id, Guid ApiAccountId, string AccountName, int PlantCount, int CurrentLimit, int RequestedLimit, string Reason,
    PlantLimitRequestState State, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);
