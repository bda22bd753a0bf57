namespace Helio.Server.Features.Devices;

public sealed record RegisterDeviceRequest(string? SerialNumber, DeviceKind? Kind, string? Model);

/// <summary>PUT body: a new model, and/or another of the caller's plants to move the device to.</summary>
public sealed record UpdateDeviceRequest(string? Model, Guid? PlantId);

public sealed record DeviceDto(string SerialNumber, DeviceKind Kind, string? Model, Guid PlantId, DateTimeOffset CreatedAt)
{
    internal static DeviceDto From(Device d) => new(d.SerialNumber, d.Kind, d.Model, d.PlantId, d.CreatedAt);
}
