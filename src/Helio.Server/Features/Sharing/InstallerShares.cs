using System.Text.Json;
using Helio.Server.Features.Audit;
using Helio.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Helio.Server.Features.Sharing;

public sealed record InstallerShareDto(Guid ShareId, Guid PlantId, string PlantName, Guid OrganisationId, string OrganisationName, ShareScope Scope);

/// <summary>
/// An owner's live shares with installer organisations: what withdrawing the "installer-sharing" consent ends
/// (ADR 0022). The person shares are the owner's own invitations to named people, not installer sharing.
/// </summary>
internal sealed class InstallerShares(HelioDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<IReadOnlyList<InstallerShareDto>> ListAsync(Guid ownerId, CancellationToken cancellationToken) =>
        await (from s in Live(ownerId)
               join p in db.Plants on s.PlantId equals p.Id
               join o in db.Organisations on s.OrganisationId equals o.Id
               orderby p.Name, o.Name
               select new InstallerShareDto(s.Id, p.Id, p.Name, o.Id, o.Name, s.Scope)).AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Ends every one of them, each audited as the owner's revocation; the caller's transaction commits it.</summary>
    public async Task<int> EndAllAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        var shares = await Live(ownerId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var share in shares)
        {
            share.RevokedAt = now;
            share.RevokedBy = ownerId;
        }
        if (shares.Count > 0)
        {
            await audit.RecordAsync(shares.Select(s => new AuditRecord(AuditActions.ShareRevoked, AuditActor.User(ownerId), PlantId: s.PlantId, Target: s.Id.ToString(),
                Detail: JsonSerializer.Serialize(new { reason = "consent-withdrawn", organisationId = s.OrganisationId }))).ToList(), cancellationToken);
        }
        return shares.Count;
    }

    private IQueryable<PlantShare> Live(Guid ownerId) =>
        db.PlantShares.Where(s => s.RevokedAt == null && s.OrganisationId != null && db.Plants.Any(p => p.Id == s.PlantId && p.OwnerId == ownerId));
}
