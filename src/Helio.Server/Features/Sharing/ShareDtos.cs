using System.Text.Json.Serialization;

namespace Helio.Server.Features.Sharing;

/// <summary>Exactly one of <see cref="OrganisationId"/> (an organisation's id, which its staff give the owner) and
/// <see cref="Email"/> (a person, invited by mail).</summary>
public sealed record ShareRequest(Guid? OrganisationId, string? Email, ShareScope? Scope);

public sealed record ShareScopeRequest(ShareScope? Scope);

public sealed record AcceptShareRequest(string? Token);

[JsonConverter(typeof(JsonStringEnumConverter<ShareState>))]
public enum ShareState
{
    /// <summary>In force: the grantee sees the plant.</summary>
    [JsonStringEnumMemberName("active")] Active = 1,
    /// <summary>An invitation by e-mail the person has not accepted yet.</summary>
    [JsonStringEnumMemberName("pending")] Pending = 2,
}

/// <summary>
/// A share (or a pending invitation) as the owner sees it. <see cref="Email"/> is the address the owner invited,
/// kept under the owner's key: the person's account is never read for it.
/// </summary>
public sealed record ShareDto(
    Guid Id, ShareState State, ShareScope Scope, Guid? OrganisationId, string? OrganisationName, string? Email,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The caller's own share of someone else's plant, which they may end.</summary>
public sealed record OwnShareDto(Guid ShareId, ShareScope Scope, DateTimeOffset SharedAt);

public sealed record AcceptedShareDto(Guid PlantId, string PlantName, ShareScope Scope);
