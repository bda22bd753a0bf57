using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// An admin gives another member a different role. Nobody changes their own role: so an organisation always keeps
/// an admin, and raising oneself needs a second admin. A member who stops being an after-sales engineer loses the
/// after-sales access they asked for as one.
/// </summary>
internal sealed class ChangeMemberRole(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<MemberDto>> HandleAsync(Guid userId, Guid organisationId, Guid memberId, ChangeMemberRoleRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        OrganisationRoles.Validate(validation, request.Role);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await OrganisationRows.LockForAdminAsync(db, userId, organisationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        if (await OrganisationRows.MembershipAsync(db, memberId, organisationId, cancellationToken) is not { } member)
        {
            return Refusal.NotFound;
        }
        if (memberId == userId)
        {
            return Refusal.Forbidden("Nobody changes their own role; another admin can.");
        }
        var role = request.Role!.Value;
        var from = member.Role;
        if (from != role)
        {
            var now = time.GetUtcNow();
            member.Role = role;
            var records = new List<AuditRecord>
            {
                new(AuditActions.MemberRoleChanged, AuditActor.User(userId), SubjectUserId: memberId, Target: organisationId.ToString(),
                    Detail: JsonSerializer.Serialize(new { organisationId, from, to = role })),
            };
            if (from == OrganisationRole.AfterSales)
            {
                records.AddRange(await OrganisationGrants.EndAsync(db, organisationId, memberId, userId, "role-changed", now, cancellationToken));
            }
            await audit.RecordAsync(records, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new MemberDto(member.UserId, member.Role, member.JoinedAt, null, You: false);
    }
}
