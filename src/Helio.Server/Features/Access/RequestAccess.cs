using System.Text.Json;
using Helio.Server.Features.Accounts;
using Helio.Server.Features.Audit;
using Helio.Server.Features.Organisations;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Encryption;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Access;

/// <summary>
/// An engineer asks for time-limited access to one plant. Who may ask: a platform support engineer (role
/// <c>support</c>), for any plant by id; or an organisation's after-sales engineer, for a plant shared with that
/// organisation now (the organisation is recorded). Anyone else gets what a missing plant gets. The plant's owner and
/// the admins of its managing organisation are mailed a link to decide.
/// </summary>
internal sealed class RequestAccess(
    HelioDbContext db, AccessRequestQueries queries, AccessMails mails, AuditTrail audit, PersonalDataProtector protector, TimeProvider clock)
{
    public const string ReasonField = "access_requests.reason";
    public const int MinReason = 10, MaxReason = 500;
    public const int MaxHours = 7 * 24;
    /// <summary>Per requester and plant: enough to correct a request, not enough to pester an owner.</summary>
    public const int MaxPending = 5;

    public async Task<Outcome<AccessRequestDto>> HandleAsync(Guid userId, RequestAccessBody body, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        if (body.PlantId is null || body.PlantId == Guid.Empty)
        {
            validation.Add("plantId", "Required.");
        }
        var scope = body.Scope switch
        {
            "view" => AccessScope.View,
            "operate" => AccessScope.Operate,
            _ => (AccessScope?)null,
        };
        if (scope is null)
        {
            validation.Add("scope", "Must be \"view\" or \"operate\".");
        }
        validation.Require("reason", body.Reason?.Trim(), MaxReason, MinReason);
        validation.Range("hours", body.Hours, 1, MaxHours);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }

        var plantId = body.PlantId!.Value;
        var plant = await db.Plants.Where(p => p.Id == plantId).Select(p => new { p.OwnerId, p.Name }).SingleOrDefaultAsync(cancellationToken);
        if (plant is null)
        {
            return Refusal.NotFound;
        }
        // The organisation's tie to this plant is the more specific reason to be asking, so it wins over the support role.
        var organisation = await (
            from m in db.OrganisationMembers
            where m.UserId == userId && m.Role == OrganisationRole.AfterSales
            join o in db.Organisations on m.OrganisationId equals o.Id
            where o.CancelledAt == null && db.PlantShares.Any(s => s.PlantId == plantId && s.OrganisationId == o.Id && s.RevokedAt == null)
            orderby o.Id
            select new { o.Id, o.Name }).FirstOrDefaultAsync(cancellationToken);
        if (organisation is null && !await queries.IsSupportAsync(userId, cancellationToken))
        {
            return Refusal.NotFound;
        }
        if (plant.OwnerId == userId)
        {
            return Refusal.Conflict("This is your own plant: you have access to it already.");
        }

        var now = clock.GetUtcNow();
        var request = new AccessRequest
        {
            Id = Guid.CreateVersion7(now),
            PlantId = plantId,
            RequesterId = userId,
            OrganisationId = organisation?.Id,
            Scope = scope!.Value,
            ReasonCipher = await protector.EncryptAsync(userId, ReasonField, body.Reason!.Trim(), cancellationToken),
            Hours = body.Hours!.Value,
            State = AccessRequestState.Pending,
            RequestedAt = now,
        };
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.EmailCipher).SingleAsync(cancellationToken);
        var masked = Masking.Email(await protector.DecryptAsync(userId, UserStore.EmailField, email, cancellationToken));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AccessRequests.Add(request);
        var deciders = await queries.DecidersAsync(plantId, plant.OwnerId, cancellationToken);
        await mails.RequestedAsync(request, plant.Name, masked, organisation?.Name, deciders.Where(d => d != userId), cancellationToken);
        await audit.RecordAsync(new AuditRecord(AuditActions.AccessRequested, AuditActor.User(userId), PlantId: plantId, Target: request.Id.ToString(),
            Detail: JsonSerializer.Serialize(new { scope = body.Scope, hours = request.Hours, organisation = organisation?.Id })), cancellationToken);
        // Counted after the audit append, which holds the chain's lock until commit (an advisory lock on PostgreSQL,
        // SQLite's write lock): a competing request of the same requester is counted here or counts this one.
        var pending = await db.AccessRequests.CountAsync(r => r.RequesterId == userId && r.PlantId == plantId && r.State == AccessRequestState.Pending, cancellationToken);
        if (pending > MaxPending)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Refusal.Conflict($"You have {MaxPending} requests for this plant waiting already: withdraw one or wait for the owner's answer.");
        }
        await transaction.CommitAsync(cancellationToken);
        return await queries.GetAsync(userId, request.Id, cancellationToken) is { } dto ? dto : Refusal.NotFound;
    }
}
