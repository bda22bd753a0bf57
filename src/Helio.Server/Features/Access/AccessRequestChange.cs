using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Helio.Server.Features.Access;

/// <summary>
/// How a request changes state (approve, deny, revoke): one conditional update, so that of two racing changes the
/// first wins and the second finds nothing to change (409); then its mail and audit entry, in the same transaction.
/// </summary>
internal sealed class AccessRequestChange(HelioDbContext db, AccessRequestQueries queries, AuditTrail audit)
{
    /// <param name="target">The request, narrowed to the state the change starts from.</param>
    /// <param name="mail">Queues the change's mail, if any, in the unit of work.</param>
    public async Task<Outcome<AccessRequestDto>> ApplyAsync(
        Guid userId, Guid requestId, IQueryable<AccessRequest> target, Action<UpdateSettersBuilder<AccessRequest>> set, Func<Task> mail, AuditRecord record, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await target.Where(r => r.Id == requestId).ExecuteUpdateAsync(set, cancellationToken) == 0)
        {
            return Refusal.Conflict("It has been decided or has ended already.");
        }
        await mail();
        await audit.RecordAsync(record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await queries.GetAsync(userId, requestId, cancellationToken))!;
    }
}
