namespace Helio.Server.Features.RemoteControl;

/// <summary>What the caller asks for: a setting (or named operation) of the device's map and the value in its unit.</summary>
public sealed record OperationRequest(string? Setting, double? Value);

/// <summary>A writable setting of the device's register map, with the value last confirmed by the device when there is one.</summary>
public sealed record SettingDto(string Name, string Unit, double Min, double Max, double Step, bool Dangerous, string Description,
    double? CurrentValue, DateTimeOffset? CurrentValueAt);

/// <summary>One of the named operations (export limit, on/off, time sync): supported by the map or not, and why.</summary>
public sealed record NamedOperationDto(string Name, string Title, bool Supported, string Description, bool NeedsValue,
    string? Unit, double? Min, double? Max, double? Step, bool Dangerous);

public sealed record DeviceSettingsDto(string SerialNumber, string? RegisterMap, bool CanOperate,
    IReadOnlyList<SettingDto> Settings, IReadOnlyList<NamedOperationDto> Operations);

/// <summary>A person as others see them: their masked e-mail (their own, in full, for the caller); null when erased.</summary>
public sealed record PersonDto(string? Email, bool IsYou);

public sealed record OperationDto(
    Guid Id,
    string DeviceSerial,
    string Setting,
    double? Value,
    string? Unit,
    bool Dangerous,
    OperationState State,
    PersonDto RequestedBy,
    DateTimeOffset RequestedAt,
    PersonDto? DecidedBy,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? CompletedAt,
    double? ReadBack,
    string? Error,
    bool CanDecide);

public sealed record OperationPageDto(IReadOnlyList<OperationDto> Operations, string? Next);
