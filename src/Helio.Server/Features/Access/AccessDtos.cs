using System.Text.Json.Serialization;

namespace Helio.Server.Features.Access;

/// <summary>What an engineer asks for. Scope is text so that a wrong value is named in the problem details.</summary>
public sealed record RequestAccessBody(Guid? PlantId, string? Scope, string? Reason, int? Hours);

/// <summary>
/// A request as one of its parties sees it. The requester appears only masked, with the capacity they asked in; the
/// plant's name only to those who may see the plant now (a support engineer learns it once approved).
/// </summary>
public sealed record AccessRequestDto(
    Guid Id,
    Guid PlantId,
    string? PlantName,
    RequesterDto Requester,
    AccessScope Scope,
    string Reason,
    int Hours,
    AccessRequestStatus State,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset? RevokedAt,
    bool CanDecide,
    bool CanRevoke,
    IReadOnlyList<UnmaskingDto> Unmaskings);

public sealed record RequesterDto(string MaskedEmail, RequesterRole Role, Guid? OrganisationId, string? OrganisationName);

/// <summary>A contact field seen in clear under the grant, and why.</summary>
public sealed record UnmaskingDto(ContactField Field, string Reason, DateTimeOffset At);

/// <summary>The caller's own requests, the requests waiting for their decision, and the live grants they may revoke.</summary>
public sealed record AccessRequestListDto(IReadOnlyList<AccessRequestDto> Requested, IReadOnlyList<AccessRequestDto> AwaitingDecision, IReadOnlyList<AccessRequestDto> ActiveGrants);

/// <summary>The stored state, with "approved" split by the clock: a grant past its end is "expired".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessRequestStatus>))]
public enum AccessRequestStatus
{
    [JsonStringEnumMemberName("pending")] Pending = 1,
    [JsonStringEnumMemberName("approved")] Approved = 2,
    [JsonStringEnumMemberName("expired")] Expired = 3,
    [JsonStringEnumMemberName("denied")] Denied = 4,
    [JsonStringEnumMemberName("revoked")] Revoked = 5,
}

[JsonConverter(typeof(JsonStringEnumConverter<RequesterRole>))]
public enum RequesterRole
{
    /// <summary>Platform support (the <c>support</c> role).</summary>
    [JsonStringEnumMemberName("support")] Support = 1,
    /// <summary>An organisation's after-sales engineer, for a plant shared with the organisation.</summary>
    [JsonStringEnumMemberName("after-sales")] AfterSales = 2,
}

/// <summary>The owner's contact details: in clear for the owner, masked for an engineer with a live grant.</summary>
public sealed record OwnerContactDto(string Name, string Email, string? Phone, bool Masked);

public sealed record UnmaskContactBody(string? Field, string? Reason);

/// <summary>One field in clear; null when the owner has none (a phone is optional).</summary>
public sealed record UnmaskedContactDto(ContactField Field, string? Value);
