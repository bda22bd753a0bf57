using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Staff;

/// <summary>
/// Takes a platform role from a user; it stops working on their next request (roles are read per request). An admin
/// cannot remove the last admin role, their own, for nobody could then manage roles from the web; the operator's
/// <c>users remove-role</c> command may, since it can always grant one again.
/// </summary>
internal sealed class RemovePlatformRole(HelioDbContext db, AuditTrail audit)
{
    public async Task<Outcome<Done>> HandleAsync(AuditActor actor, Guid userId, string role, CancellationToken cancellationToken)
    {
        var held = await db.UserRoles.SingleOrDefaultAsync(r => r.UserId == userId && r.Role == role, cancellationToken);
        if (held is null)
        {
            return Refusal.NotFound;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.UserRoles.Remove(held);
        await audit.RecordAsync(new AuditRecord(AuditActions.RoleRemoved, actor, SubjectUserId: userId, Target: role,
            Detail: JsonSerializer.Serialize(new { role })), cancellationToken);
        // Counted after the audit append, which holds the chain's lock until commit: two admins removing each other's
        // role at once are serialised here, and the second sees no admin left.
        if (role == Roles.Admin && actor.Kind == AuditActorKind.User && !await db.UserRoles.AnyAsync(r => r.Role == Roles.Admin, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Refusal.Conflict("This is the last admin role: give it to someone else first.");
        }
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
