using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Helio.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

/// <summary>The owner changes what a share allows (view or manage); it applies from the grantee's next request.</summary>
internal sealed class ChangeShareScope(HelioDbContext db, ShareQueries queries, AuditTrail audit)
{
    public async Task<Outcome<ShareDto>> HandleAsync(Guid userId, Guid plantId, Guid shareId, ShareScopeRequest request, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        SharePlant.ValidateScope(validation, request.Scope);
        if (!validation.IsValid)
        {
            return validation.ToRefusal();
        }
        var owned = queries.Owned(userId).Where(p => p.Id == plantId);
        var share = await db.PlantShares.FirstOrDefaultAsync(s => s.Id == shareId && s.RevokedAt == null && owned.Any(p => p.Id == s.PlantId), cancellationToken);
        if (share is null)
        {
            return Refusal.NotFound;
        }
        var from = share.Scope;
        if (from != request.Scope)
        {
            share.Scope = request.Scope!.Value;
            await audit.RecordAsync(new AuditRecord(AuditActions.ShareScopeChanged, AuditActor.User(userId), PlantId: plantId, Target: share.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { from, to = share.Scope })), cancellationToken);
        }
        var organisation = share.OrganisationId is { } id ? await db.Organisations.Where(o => o.Id == id).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) : null;
        return await queries.ToDtoAsync(share, organisation, cancellationToken);
    }
}
