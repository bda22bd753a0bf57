using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Staff;

public sealed record GrantRoleBody(string? Email, string? Role);

/// <summary>
/// Gives a user a platform role (an admin on the API or page, or the operator through <c>users add-role</c>, audited as
/// the system). Granting a role the user holds already changes nothing and records nothing. An unknown address is
/// named as such: only admins can ask, and they need to know whom they are promoting.
/// </summary>
internal sealed class GrantPlatformRole(HelioDbContext db, UserManager<User> users, ListRoleHolders holders, AuditTrail audit)
{
    public const int MaxEmail = 254;

    public async Task<Outcome<RoleHolderDto>> HandleAsync(AuditActor actor, GrantRoleBody body, CancellationToken cancellationToken)
    {
        var validation = new Validation().Require("email", body.Email, MaxEmail);
        if (body.Role is null || !Roles.All.Contains(body.Role))
        {
            validation.Add("role", $"Must be one of {string.Join(", ", Roles.All.Order(StringComparer.Ordinal))}.");
        }
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var user = await users.FindByEmailAsync(body.Email!.Trim());
        if (user is null)
        {
            return Refusal.Invalid("email", "No account has this address.");
        }
        var role = body.Role!;
        if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.Role == role, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.UserRoles.Add(new UserRole { UserId = user.Id, Role = role });
            await audit.RecordAsync(new AuditRecord(AuditActions.RoleGranted, actor, SubjectUserId: user.Id, Target: role,
                Detail: JsonSerializer.Serialize(new { role })), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return (await holders.HolderAsync(user.Id, cancellationToken))!;
    }
}
