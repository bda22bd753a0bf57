using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Organisations;

/// <summary>
/// An admin removes a member, or a member leaves. Either way they lose, on their next request, every plant they saw
/// through the organisation and the after-sales access they asked for as its engineer. The last admin cannot leave: an
/// organisation without admins could not be run or cancelled.
/// </summary>
internal sealed class RemoveMember(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Done>> HandleAsync(Guid userId, Guid organisationId, Guid memberId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked first, so that roles and the count of admins are read as they stand until the commit.
        if (!await OrganisationRows.LockActiveAsync(db, organisationId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        var leaving = memberId == userId;
        var refusal = leaving
            ? await OrganisationRows.MembershipAsync(db, userId, organisationId, cancellationToken) is null ? Refusal.NotFound : null
            : await OrganisationRows.AdminRefusalAsync(db, userId, organisationId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        if (await OrganisationRows.MembershipAsync(db, memberId, organisationId, cancellationToken) is not { } member)
        {
            return Refusal.NotFound;
        }
        if (member.Role == OrganisationRole.Admin
            && await db.OrganisationMembers.CountAsync(m => m.OrganisationId == organisationId && m.Role == OrganisationRole.Admin, cancellationToken) == 1)
        {
            return Refusal.Conflict("The organisation's last admin cannot leave: make another member admin first, or cancel the organisation.");
        }
        var now = time.GetUtcNow();
        db.OrganisationMembers.Remove(member);
        var records = new List<AuditRecord>
        {
            new(AuditActions.MemberRemoved, AuditActor.User(userId), SubjectUserId: memberId, Target: organisationId.ToString(),
                Detail: JsonSerializer.Serialize(new { organisationId, left = leaving })),
        };
        records.AddRange(await OrganisationGrants.EndAsync(db, organisationId, memberId, userId, leaving ? "left-organisation" : "removed-from-organisation", now, cancellationToken));
        await audit.RecordAsync(records, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Done();
    }
}
