using Helio.Server.Features.Sharing;

namespace Helio.Server.Features.Organisations;

public sealed record CreateOrganisationRequest(string? Name);

public sealed record InviteMemberRequest(string? Email, OrganisationRole? Role);

public sealed record ChangeMemberRoleRequest(OrganisationRole? Role);

public sealed record AcceptInvitationRequest(string? Token);

/// <summary>An organisation as one of its members sees it, with the caller's own role.</summary>
public sealed record OrganisationDto(Guid Id, string Name, OrganisationRole Role, DateTimeOffset CreatedAt, int Members, int SharedPlants);

/// <summary>A member as the organisation's admins see them: the address they were invited at, not their account.</summary>
public sealed record MemberDto(Guid UserId, OrganisationRole Role, DateTimeOffset JoinedAt, string? Email, bool You);

/// <summary>A pending invitation; <see cref="Email"/> is null when the inviter's key was erased.</summary>
public sealed record InvitationDto(Guid Id, string? Email, OrganisationRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record OrganisationPlantDto(Guid PlantId, string Name, Guid ShareId, ShareScope Scope, DateTimeOffset SharedAt);

public sealed record OrganisationPlantsDto(IReadOnlyList<OrganisationPlantDto> Plants, int Total);
