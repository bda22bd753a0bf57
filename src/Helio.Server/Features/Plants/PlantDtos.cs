namespace Helio.Server.Features.Plants;

public sealed record PlantRequest(
    string? Name, double? Latitude, double? Longitude, string? Address, string? Country, string? TimeZone,
    double? CapacityKwp, DateOnly? CommissioningDate, decimal? FeedInTariff, string? Currency);

public sealed record PlantDto(
    Guid Id, string Name, double Latitude, double Longitude, string? Address, string? Country, string TimeZone,
    double CapacityKwp, DateOnly? CommissioningDate, decimal? FeedInTariff, string? Currency, int DeviceCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PlantListItem(Guid Id, string Name, double Latitude, double Longitude, string TimeZone, double CapacityKwp, int DeviceCount);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
