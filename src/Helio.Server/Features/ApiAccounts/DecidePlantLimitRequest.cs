using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// A platform admin approves (the account's limit becomes the one asked for) or denies a pending limit request.
/// Segregation of duties: nobody decides a request about their own account.
/// </summary>
internal sealed class DecidePlantLimitRequest(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<PlantLimitRequestDto>> HandleAsync(Guid adminId, Guid requestId, bool approve, CancellationToken cancellationToken)
    {
        var request = await db.Set<PlantLimitRequest>().SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return Refusal.NotFound;
        }
        var account = await db.ApiAccounts.SingleAsync(a => a.Id == request.ApiAccountId, cancellationToken);
        if (account.OwnerUserId == adminId || request.RequestedBy == adminId)
        {
            return Refusal.Forbidden("A request about your own API account must be decided by another admin.");
        }
        if (request.State != PlantLimitRequestState.Pending)
        {
            return Refusal.Conflict("This request has already been decided.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        request.State = approve ? PlantLimitRequestState.Approved : PlantLimitRequestState.Denied;
        request.DecidedAt = time.GetUtcNow();
        request.DecidedBy = adminId;
        if (approve)
        {
            account.PlantLimit = Math.Max(account.PlantLimit, request.RequestedLimit);
        }
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiPlantLimitDecided, AuditActor.User(adminId), SubjectUserId: request.RequestedBy, Target: account.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { request = request.Id, approved = approve, limit = account.PlantLimit })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PlantLimitRequestDto(request.Id, request.CurrentLimit, request.RequestedLimit, request.State, request.RequestedAt, request.DecidedAt);
    }
}
