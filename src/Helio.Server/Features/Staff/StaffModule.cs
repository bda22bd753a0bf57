using System.Security.Claims;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helio.Server.Features.Staff;

/// <summary>
/// Platform staff (ADR 0019): which users hold the platform roles (admin, dpo, support), granted and removed by an admin
/// here or by the <c>users add-role</c> command, every change audited. A role opens staff tools only; it never opens a
/// plant or anyone's personal data (holders are listed with masked e-mails).
/// </summary>
public static class StaffModule
{
    public static WebApplicationBuilder AddStaff(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ListRoleHolders>();
        builder.Services.AddScoped<GrantPlatformRole>();
        builder.Services.AddScoped<RemovePlatformRole>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/api/v1/admin/roles").WithTags("Admin").RequireAuthorization(AccountsModule.AdminPolicy);
        roles.MapGet("/", async (ListRoleHolders handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)));
        roles.MapPost("/", async ([FromBody] GrantRoleBody body, ClaimsPrincipal user, GrantPlatformRole handler, CancellationToken ct) =>
            (await handler.HandleAsync(AuditActor.User(user.UserId()), body, ct)).ToResult(TypedResults.Ok));
        roles.MapDelete("/{userId:guid}/{role}", async (Guid userId, string role, ClaimsPrincipal user, RemovePlatformRole handler, CancellationToken ct) =>
            (await handler.HandleAsync(AuditActor.User(user.UserId()), userId, role, ct)).ToResult(_ => TypedResults.NoContent()));
        return app;
    }
}
