using Helio.Server.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Accounts;

/// <summary>
/// The caller holds one of these platform roles. Read from the database on each request, like the session itself,
/// so a role removed by <c>users remove-role</c> stops working at once. A role never grants access to plants or
/// personal data by itself: endpoints behind it show only what the role's work needs.
/// </summary>
internal sealed record PlatformRoleRequirement(params string[] Roles) : IAuthorizationRequirement;

internal sealed class PlatformRoleHandler(IServiceProvider services) : AuthorizationHandler<PlatformRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PlatformRoleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        var userId = context.User.UserId();
        var db = services.GetRequiredService<HelioDbContext>();
        if (await db.UserRoles.AnyAsync(r => r.UserId == userId && requirement.Roles.Contains(r.Role)))
        {
            context.Succeed(requirement);
        }
    }
}
