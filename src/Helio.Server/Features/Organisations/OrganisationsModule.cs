using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// Installer organisations (ADR 0018): founding one, staff invited by e-mail with a role, roles changed, members
/// removed or leaving, cancellation. Plants reach an organisation only through an owner's share (Sharing).
/// </summary>
public static class OrganisationsModule
{
    public static WebApplicationBuilder AddOrganisations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrganisationQueries>();
        builder.Services.AddScoped<CreateOrganisation>();
        builder.Services.AddScoped<InviteMember>();
        builder.Services.AddScoped<RevokeInvitation>();
        builder.Services.AddScoped<JoinOrganisation>();
        builder.Services.AddScoped<ChangeMemberRole>();
        builder.Services.AddScoped<RemoveMember>();
        builder.Services.AddScoped<CancelOrganisation>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        // A non-member gets 404 for an organisation, exactly as for a missing one; a member without the admin role
        // gets 403 for admin work (they know the organisation exists).
        var api = app.MapGroup("/api/v1").WithTags("Organisations").RequireAuthorization(AccountsModule.ApiPolicy);
        api.MapGet("/organisations", async (ClaimsPrincipal user, OrganisationQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(user.UserId(), ct)));
        api.MapPost("/organisations", async ([FromBody] CreateOrganisationRequest request, ClaimsPrincipal user, CreateOrganisation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(o => TypedResults.Created($"/api/v1/organisations/{o.Id}", o)));
        api.MapGet("/organisations/{organisationId:guid}", async (Guid organisationId, ClaimsPrincipal user, OrganisationQueries queries, CancellationToken ct) =>
            (await queries.GetAsync(user.UserId(), organisationId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/organisations/{organisationId:guid}/cancel", async (Guid organisationId, ClaimsPrincipal user, CancelOrganisation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), organisationId, ct)).ToResult(_ => TypedResults.NoContent()));
        api.MapGet("/organisations/{organisationId:guid}/plants", async (Guid organisationId, ClaimsPrincipal user, OrganisationQueries queries, CancellationToken ct) =>
            (await queries.PlantsAsync(user.UserId(), organisationId, ct)).ToResult(TypedResults.Ok));

        api.MapGet("/organisations/{organisationId:guid}/members", async (Guid organisationId, ClaimsPrincipal user, OrganisationQueries queries, CancellationToken ct) =>
            (await queries.MembersAsync(user.UserId(), organisationId, ct)).ToResult(TypedResults.Ok));
        api.MapPut("/organisations/{organisationId:guid}/members/{memberId:guid}", async (Guid organisationId, Guid memberId, [FromBody] ChangeMemberRoleRequest request, ClaimsPrincipal user, ChangeMemberRole handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), organisationId, memberId, request, ct)).ToResult(TypedResults.Ok));
        api.MapDelete("/organisations/{organisationId:guid}/members/{memberId:guid}", async (Guid organisationId, Guid memberId, ClaimsPrincipal user, RemoveMember handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), organisationId, memberId, ct)).ToResult(_ => TypedResults.NoContent()));

        api.MapGet("/organisations/{organisationId:guid}/invitations", async (Guid organisationId, ClaimsPrincipal user, OrganisationQueries queries, CancellationToken ct) =>
            (await queries.InvitationsAsync(user.UserId(), organisationId, ct)).ToResult(TypedResults.Ok));
        api.MapPost("/organisations/{organisationId:guid}/invitations", async (Guid organisationId, [FromBody] InviteMemberRequest request, ClaimsPrincipal user, InviteMember handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), organisationId, request, ct)).ToResult(i => TypedResults.Created($"/api/v1/organisations/{organisationId}/invitations", i)));
        api.MapDelete("/organisations/{organisationId:guid}/invitations/{invitationId:guid}", async (Guid organisationId, Guid invitationId, ClaimsPrincipal user, RevokeInvitation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), organisationId, invitationId, ct)).ToResult(_ => TypedResults.NoContent()));
        api.MapPost("/organisation-invitations/accept", async ([FromBody] AcceptInvitationRequest request, ClaimsPrincipal user, JoinOrganisation handler, CancellationToken ct) =>
            (await handler.HandleAsync(user.UserId(), request, ct)).ToResult(TypedResults.Ok));
        return app;
    }
}
