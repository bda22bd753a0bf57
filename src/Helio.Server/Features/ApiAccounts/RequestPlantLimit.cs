using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.ApiAccounts;

/// <summary>
/// The owner asks a platform admin to let an account read more plants: a higher limit and a reason (their own words,
/// encrypted under their key). One request waits at a time per account.
/// </summary>
internal sealed class RequestPlantLimit(HelioDbContext db, ApiAccountQueries queries, PersonalDataProtector protector, AuditTrail audit, TimeProvider time)
{
    public const string ReasonField = "api_plant_limit_requests.reason";
    public const int MaxReason = 1000;

    /// <summary>The highest limit anyone can ask for: beyond it, an installer wants an organisation, not one key.</summary>
    public const int MaxPlantLimit = 1000;

    public async Task<Outcome<PlantLimitRequestDto>> HandleAsync(Guid userId, Guid accountId, PlantLimitRequestBody request, CancellationToken cancellationToken)
    {
        var account = await queries.Owned(userId).AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return Refusal.NotFound;
        }
        var validation = new Validation()
            .Range("limit", request.Limit, account.PlantLimit + 1, MaxPlantLimit)
            .Require("reason", request.Reason, MaxReason);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        if (account.ClosedAt is not null)
        {
            return Refusal.Conflict("This API account is closed.");
        }
        var requests = db.Set<PlantLimitRequest>();
        if (await requests.AnyAsync(r => r.ApiAccountId == accountId && r.State == PlantLimitRequestState.Pending, cancellationToken))
        {
            return Refusal.Conflict("A request for this account is already waiting for a platform admin.");
        }
        var now = time.GetUtcNow();
        var row = new PlantLimitRequest
        {
            Id = Guid.CreateVersion7(now),
            ApiAccountId = accountId,
            RequestedBy = userId,
            RequestedAt = now,
            CurrentLimit = account.PlantLimit,
            RequestedLimit = request.Limit!.Value,
            ReasonCipher = await protector.EncryptAsync(userId, ReasonField, request.Reason!.Trim(), cancellationToken),
            State = PlantLimitRequestState.Pending,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        requests.Add(row);
        await audit.RecordAsync(new AuditRecord(AuditActions.ApiPlantLimitRequested, AuditActor.User(userId), SubjectUserId: userId, Target: accountId.ToString(),
            Detail: JsonSerializer.Serialize(new { request = row.Id, limit = row.RequestedLimit })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PlantLimitRequestDto(row.Id, row.CurrentLimit, row.RequestedLimit, row.State, row.RequestedAt, null);
    }
}
